from django.urls import path

from . import views

app_name = "membership"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("schools/<str:urn>/", views.school_membership, name="school"),
    path("schools/<str:urn>/interest/", views.expression_of_interest, name="interest"),
    path("schools/<str:urn>/agreement/", views.agreement, name="agreement"),
    path("schools/<str:urn>/agreement/<int:start_year>/", views.agreement, name="agreement_year"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("all/", views.MembershipList.as_view(), name="list"),
    path("interest/", views.ExpressionOfInterestList.as_view(), name="interests"),
    path("renewals/", views.renewals, name="renewals"),
    path("renewals/responses/", views.RenewalList.as_view(), name="renewal_responses"),
    path("closing-schools/", views.closing_schools, name="closing_schools"),
    path("fee-schedule/", views.fee_schedule, name="fee_schedule"),
]

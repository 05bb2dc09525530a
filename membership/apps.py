from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "membership"

    def ready(self):
        # Offers prices bookings by the school's tier but may not import membership:
        # membership fills in offers' port instead (docs/decisions.md).
        from offers.membership_port import register_tier_lookup

        from .selectors import active_tier_for

        register_tier_lookup(active_tier_for)

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=2; ?page_size= up to 500, so a nightly pull of the register takes few requests."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

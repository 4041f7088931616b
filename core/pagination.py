from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class CursorPagination(pagination.CursorPagination):
    """For large, append-mostly tables: stable pages and no COUNT(*)."""

    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

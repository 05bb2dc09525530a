"""The read-only reporting API: token-authenticated JSON of what the pages show.

Built on Django REST framework. Each endpoint names its roles as the pages do and reads
through the same selectors, so a figure in the API is the figure on the page.
"""

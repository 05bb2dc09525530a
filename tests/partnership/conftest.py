from .api_world import world  # noqa: F401  (the API tests' small world)

"""The tests' cache of Werkzeug's URL builders (tests/routing_cache.py) builds the URLs the
builders compiled for each rule build: every route of a test app, with and without query
arguments."""
from tests import routing_cache


def test_every_route_builds_the_url_its_own_compiled_builder_builds(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 50
    for rule in rules:
        values = {name: sample(rule._converters.get(name)) for name in rule.arguments}
        for unknown in (False, True):
            own = routing_cache._compile_builder(rule, unknown).__get__(rule, None)
            cached = routing_cache.cached_builder(rule, unknown).__get__(rule, None)
            extra = {"pagina": 2} if unknown else {}
            assert cached(**values, **extra) == own(**values, **extra), rule.rule


def sample(converter):
    """A value the argument's converter takes: one of an ``any(...)``'s words, else 1."""
    return sorted(converter.items)[0] if hasattr(converter, "items") else 1

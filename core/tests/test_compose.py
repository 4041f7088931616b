"""docker-compose.yml, the production shape: what it promises about Redis memory."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
APP_SERVICES = ["web", "worker", "beat"]


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def redis_options(service: dict) -> dict[str, str]:
    """`redis-server --maxmemory 256mb …` as {"maxmemory": "256mb", …}."""
    command = service["command"]
    words = command if isinstance(command, list) else command.split()
    assert words[0] == "redis-server", words
    options, name = {}, None
    for word in words[1:]:
        if word.startswith("--"):
            name = word[2:]
            options[name] = ""
        else:
            options[name] = f"{options[name]} {word}".strip()
    return options


def test_the_cache_has_its_own_redis_that_evicts_least_recently_used_keys(services):
    options = redis_options(services["cache"])
    assert options["maxmemory"] not in ("", "0"), options
    assert options["maxmemory-policy"] == "allkeys-lru"


def test_the_broker_redis_is_bounded_and_never_evicts(services):
    # Evicting a queued task would lose it: when full, the broker refuses writes instead.
    options = redis_options(services["redis"])
    assert options["maxmemory"] not in ("", "0"), options
    assert options["maxmemory-policy"] == "noeviction"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_app_caches_in_the_cache_redis_and_queues_in_the_broker_redis(services, name):
    service = services[name]
    cache_url = urlsplit(service["environment"]["CACHE_URL"])
    assert (cache_url.scheme, cache_url.hostname) == ("rediscache", "cache")
    assert urlsplit(service["environment"]["REDIS_URL"]).hostname == "redis"
    assert service["depends_on"]["cache"] == {"condition": "service_healthy"}
    assert "healthcheck" in services["cache"]

"""Access rules on their own: per-IP and per-key limits, key files, size limits."""

from __future__ import annotations

import pytest

from vi2en.errors import InputError
from vi2en.serve.access import AccessPolicy, ApiError, read_api_keys

pytestmark = pytest.mark.issue(13)


def test_per_ip_limit_counts_each_client_alone():
    policy = AccessPolicy(req_limit=2)
    for _ in range(2):
        policy.check(api_key=None, client="10.0.0.1")
    with pytest.raises(ApiError) as err:
        policy.check(api_key=None, client="10.0.0.1")
    assert err.value.status == 429 and "Retry-After" in err.value.headers
    policy.check(api_key=None, client="10.0.0.2")


def test_a_key_limit_overrides_the_default():
    policy = AccessPolicy(api_keys={"fast": None, "slow": 1}, req_limit=3)
    for _ in range(3):
        policy.check(api_key="fast", client="x")
    with pytest.raises(ApiError, match="Slowdown: 3 per 1 minute"):
        policy.check(api_key="fast", client="x")
    policy.check(api_key="slow", client="x")
    with pytest.raises(ApiError, match="Slowdown: 1 per 1 minute"):
        policy.check(api_key="slow", client="x")


def test_key_file_and_size_limits(tmp_path):
    path = tmp_path / "keys"
    path.write_text("a\t5\nb # comment\n\n", encoding="utf-8")
    assert read_api_keys(path) == {"a": 5, "b": None}
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(InputError, match="cannot read"):
        read_api_keys(path)
    policy = AccessPolicy(char_limit=5, batch_limit=2)
    policy.check_size(["ab", "cde"])
    with pytest.raises(ApiError, match=r"request \(3\) exceeds text limit \(2\)"):
        policy.check_size(["a", "b", "c"])
    with pytest.raises(ApiError, match=r"request \(6\) exceeds text limit \(5\)"):
        policy.check_size(["abc", "def"])

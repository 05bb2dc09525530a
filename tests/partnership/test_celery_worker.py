import uuid

import pytest

from partnership.tasks import ping
from tests.conftest import requires_redis

pytestmark = [requires_redis, pytest.mark.celery_worker]


def test_a_task_goes_through_redis_to_a_real_worker_and_back(celery_worker_process):
    token = str(uuid.uuid4())
    result = ping.delay(token)
    assert result.get(timeout=30) == {"token": token, "database": True}

"""The same batch on a real Dask cluster (LocalCluster, two worker processes, loopback only)."""

from __future__ import annotations

import json

import pytest

from collate.batch.run import run_batch
from collate.errors import UsageError

import distributed  # the test extra installs it; a missing Dask must fail here, not skip


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
        silence_logs=50,
    ) as running:
        yield running


def test_dask_run_equals_the_local_run(cluster, week1):
    local = run_batch("ref", "scans", "local", max_cer=0.1, workers=2)
    remote = run_batch("ref", "scans", "dask", max_cer=0.1, scheduler=cluster.scheduler_address)
    assert remote.documents == local.documents
    assert not any(d.reused for d in remote.documents)
    for name in ("summary.json", "summary.csv", "index.html"):
        assert (week1 / "dask" / name).read_bytes() == (week1 / "local" / name).read_bytes()
    pages = sorted(p.name for p in (week1 / "local" / "documents").iterdir())
    assert pages == sorted(p.name for p in (week1 / "dask" / "documents").iterdir())
    for name in pages:
        assert (week1 / "dask" / "documents" / name).read_bytes() == (
            week1 / "local" / "documents" / name
        ).read_bytes()
    assert json.loads((week1 / "dask" / "summary.json").read_text())["flagged"] == 5


def test_unreachable_scheduler_is_a_usage_error(data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("collate.batch.workers.DASK_TIMEOUT", 2)
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        run_batch(
            data_dir / "batch_week1" / "ref",
            data_dir / "batch_week1" / "scans",
            tmp_path / "out",
            scheduler="tcp://127.0.0.1:9",
        )

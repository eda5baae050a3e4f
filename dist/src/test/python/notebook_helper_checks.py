"""What NotebooksTest asks of the notebooks' Trino helper, answered as one JSON object on stdout.

Run by the test with the notebooks' Python: ``notebook_helper_checks.py NOTEBOOKS_DIR REQUEST.json``.
The request names the store, the snapshot, the SQL to run and the texts to quote; the test holds
the answers against the Java side (Subjects, LakeTables, SqlText) and Trino's JDBC driver.
"""

import json
import math
import sys

sys.path.insert(0, sys.argv[1])

import pandas as pd  # noqa: E402

import wirelake_subjects as subjects  # noqa: E402
import wirelake_trino  # noqa: E402


def canonical(value):
    """One JSON form for a value, as the test writes JDBC's: hex bytes, microsecond timestamps, NaN as a string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def failure(action):
    try:
        action()
    except Exception as error:  # the test checks the class and the message
        return {"class": type(error).__name__, "message": str(error), "error_name": getattr(error, "error_name", None),
                "line": getattr(error, "line", None), "column": getattr(error, "column", None)}
    return None


def main():
    with open(sys.argv[2], encoding="utf-8") as file:
        request = json.load(file)
    trino = wirelake_trino.Trino(client="rest")
    lake = wirelake_trino.Lake(trino, store=request["store"])
    answer = {
        "vocabulary": {
            "workload_src": subjects.workload("src"),
            "workload_dst": subjects.workload("dst"),
            "in_cluster_src": subjects.in_cluster("src"),
            "in_cluster_dst": subjects.in_cluster("dst"),
            "service": subjects.service(),
            "server": subjects.server(),
            "namespace": subjects.namespace(),
            "operation": subjects.operation(),
            "is_call": subjects.is_call(),
            "endpoint": subjects.endpoint(),
            "edge": subjects.edge(),
            "error": subjects.error(),
            "status": subjects.status(),
            "call_bytes": subjects.call_bytes(),
            "latency_millis": subjects.latency_millis(),
            "path_template": subjects.path_template('"path"'),
            "flow_edge": subjects.flow_edge(),
            "nearest_rank": subjects.nearest_rank("latencies", "0.95"),
        },
        "schemas": {location: wirelake_trino.schema_for_store(location) for location in request["locations"]},
        "strings": [wirelake_trino.sql_string(text) for text in request["texts"]],
        "identifiers": [wirelake_trino.sql_identifier(text) for text in request["texts"]],
        "lake": {"schema": lake.schema, "snapshots": lake.snapshots(), "table": lake.table("api_calls")},
    }
    rows = trino.query(request["rows_sql"])
    answer["rows"] = {"columns": list(rows.columns), "values": [[canonical(value) for value in row] for row in rows.itertuples(index=False)]}
    typed = trino.query(request["types_sql"])
    answer["types"] = {column: {"dtype": str(typed[column].dtype), "python": type(typed.at[0, column]).__name__, "value": repr(typed.at[0, column])}
                       for column in typed.columns}
    answer["failures"] = {
        "syntax": failure(lambda: trino.query("SELECT count(*) FROM")),
        "unknown_column": failure(lambda: trino.query("SELECT no_such_column FROM " + lake.table("api_calls"))),
        "missing_snapshot": failure(lambda: lake.require(request["snapshot"], "no-such-snapshot")),
        "no_tables": failure(lambda: wirelake_trino.Lake(trino, schema="lake_0000000000000000").snapshots()),
        "too_many_rows": failure(lambda: wirelake_trino.Trino(client="rest", max_rows=5).query("SELECT * FROM UNNEST(sequence(1, 10000))")),
        "password_over_http": failure(lambda: wirelake_trino.Settings(url="http://trino.example:8080", password="secret")),
        "bad_url": failure(lambda: wirelake_trino.Settings(url="trino.example:8080")),
        "unreachable": failure(lambda: wirelake_trino.Trino(wirelake_trino.Settings(url=request["unreachable_url"]), client="rest").query("SELECT 1")),
    }
    remote = wirelake_trino.Settings.from_environment({"WIRELAKE_TRINO_URL": "https://trino.example:8443", "WIRELAKE_TRINO_USER": "analyst",
                                                       "WIRELAKE_TRINO_PASSWORD": "secret"})
    answer["remote_settings"] = {"url": remote.url, "user": remote.user, "catalog": remote.catalog, "repr": repr(remote)}
    json.dump(answer, sys.stdout)


main()

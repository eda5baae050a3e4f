"""Trino for wirelake's notebooks: SQL in, a pandas DataFrame out.

It talks to the same Trino as the ``wirelake`` command, chosen by the same environment variables
(``query/src/main/java/io/wirelake/query/TrinoAccess.java``):

- ``WIRELAKE_TRINO_URL`` (``http[s]://host:port``) names a Trino you run, with
  ``WIRELAKE_TRINO_USER`` (default ``wirelake``), ``WIRELAKE_TRINO_PASSWORD`` (sent over HTTPS
  only, as HTTP basic authentication) and ``WIRELAKE_TRINO_CATALOG`` (default ``wirelake``);
- otherwise the local Trino that ``wirelake trino start`` runs: ``https://127.0.0.1:$WIRELAKE_TRINO_PORT``
  (default 18080), catalog ``hive``, user ``wirelake`` with the password and the self-signed
  certificate it made on first start in ``$WIRELAKE_HOME/trino/secrets`` (readable by its owner
  only); the certificate is the only one trusted, as the command trusts it.

The lake's tables of a store live in the schema ``lake_<16 hex digits of SHA-256 of the store's
location>`` (``LakeTables.schemaForStore``); a snapshot's rows are visible once its partitions are
registered, which every ``wirelake`` command that queries the snapshot does.

It uses the ``trino`` DB-API client when it is installed and Trino's REST protocol over
``requests`` otherwise (``WIRELAKE_TRINO_CLIENT=rest|dbapi`` forces one). Sessions run in UTC,
like the command's: the tables hold UTC timestamps.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import hashlib
import math
import os
import time
import unicodedata
import urllib.parse
from typing import Any, Mapping, Optional, Sequence

import pandas as pd
import requests

__all__ = ["Settings", "Trino", "Lake", "TrinoError", "schema_for_store", "default_store", "sql_string", "sql_identifier"]

DEFAULT_LOCAL_PORT = 18080
SOURCE = "wirelake-notebooks"
# Trino answers 502, 503 and 504 while it starts or is overloaded; the protocol says to retry them.
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
RETRIES = 10


class TrinoError(Exception):
    """A query Trino refused or failed, with Trino's own message, error name and position."""

    def __init__(self, message: str, error_name: str = "", error_type: str = "", line: Optional[int] = None,
                 column: Optional[int] = None, query_id: str = ""):
        self.message = message
        self.error_name = error_name
        self.error_type = error_type
        self.line = line
        self.column = column
        self.query_id = query_id
        # Trino's message already says where ("line 1:8: ..."); line and column are kept for programs.
        name = f" ({error_name})" if error_name else ""
        super().__init__(f"Trino{name}: {message}")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where Trino is and who asks. The password never appears in ``repr``."""

    url: str
    user: str = "wirelake"
    catalog: str = "hive"
    schema: Optional[str] = None
    password: Optional[str] = dataclasses.field(default=None, repr=False)
    # a PEM file of the one certificate to trust (the local Trino's); None: the system's CAs (or REQUESTS_CA_BUNDLE)
    ca_file: Optional[str] = None

    def __post_init__(self):
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the Trino URL must be http[s]://host[:port], not {self.url}")
        if self.password is not None and parts.scheme != "https":
            raise ValueError(f"a Trino password is sent over HTTPS only: use an https:// URL for {parts.hostname}")

    @staticmethod
    def from_environment(environment: Mapping[str, str] = os.environ, schema: Optional[str] = None) -> "Settings":
        url = environment.get("WIRELAKE_TRINO_URL", "").strip()
        if url:
            return Settings(url=url, user=environment.get("WIRELAKE_TRINO_USER", "wirelake"),
                            catalog=environment.get("WIRELAKE_TRINO_CATALOG", "wirelake"), schema=schema,
                            password=environment.get("WIRELAKE_TRINO_PASSWORD"))
        port = int(environment.get("WIRELAKE_TRINO_PORT", DEFAULT_LOCAL_PORT))
        home = environment.get("WIRELAKE_HOME") or os.path.join(os.path.expanduser("~"), ".wirelake")
        secrets = os.path.join(home, "trino", "secrets")
        credentials = _properties(os.path.join(secrets, "credentials.properties"))
        certificate = os.path.join(secrets, "tls.pem")
        if "password" not in credentials or not os.path.isfile(certificate):
            raise TrinoError(f"the local Trino of {home} has no credentials in {secrets} yet: start it with 'wirelake trino start' "
                             f"(or set WIRELAKE_TRINO_URL for a Trino of your own)", error_name="CONNECTION")
        return Settings(url=f"https://127.0.0.1:{port}", user=credentials.get("user", "wirelake"), catalog="hive", schema=schema,
                        password=credentials["password"], ca_file=certificate)

    def with_schema(self, schema: Optional[str]) -> "Settings":
        return dataclasses.replace(self, schema=schema)

    def describe(self) -> str:
        parts = urllib.parse.urlsplit(self.url)
        return f"Trino at {parts.scheme}://{parts.netloc} (catalog {self.catalog}, user {self.user})"


def _properties(path: str) -> dict:
    """A Java properties file of plain ``name=value`` lines (as ``LocalTrinoSecrets`` writes it); empty when missing."""
    values = {}
    try:
        with open(path, encoding="utf-8") as file:
            for line in file:
                line = line.strip()
                if line and not line.startswith(("#", "!")) and "=" in line:
                    name, value = line.split("=", 1)
                    values[name.strip()] = value.strip()
    except FileNotFoundError:
        pass
    return values


def sql_identifier(name: str) -> str:
    """A delimited identifier, quotes doubled (as ``SqlText.identifier``)."""
    return '"' + name.replace('"', '""') + '"'


def sql_string(value: str) -> str:
    """A varchar literal (as ``SqlText.string``): ``'text'``, or ``U&'...'`` when it holds control characters."""
    if all(_printable(character) for character in value):
        return "'" + value.replace("'", "''") + "'"
    text = ["U&'"]
    for character in value:
        code = ord(character)
        if character == "'":
            text.append("''")
        elif character == "\\":
            text.append("\\\\")
        elif 0x20 <= code < 0x7F:
            text.append(character)
        elif code <= 0xFFFF:
            text.append(f"\\{code:04X}")
        else:
            text.append(f"\\+{code:06X}")
    text.append("'")
    return "".join(text)


def _printable(character: str) -> bool:
    return ord(character) >= 0x20 and ord(character) != 0x7F and unicodedata.category(character) not in ("Cc", "Cs", "Cn")


def default_store(environment: Mapping[str, str] = os.environ) -> str:
    """The store the command uses without ``--store``: $WIRELAKE_STORE, else $WIRELAKE_HOME/store, else ~/.wirelake/store."""
    if environment.get("WIRELAKE_STORE"):
        return environment["WIRELAKE_STORE"]
    home = environment.get("WIRELAKE_HOME") or os.path.join(os.path.expanduser("~"), ".wirelake")
    return os.path.join(home, "store")


def store_location(store: str) -> str:
    """The location a store is named by, as ``ObjectStore.location()`` writes it."""
    if store.startswith("s3://"):
        parts = urllib.parse.urlsplit(store)
        if not parts.netloc:
            raise ValueError(f"not an s3://bucket/prefix location: {store}")
        prefix = parts.path.strip("/")
        return f"s3://{parts.netloc}/" + (prefix + "/" if prefix else "")
    if "://" in store:
        raise ValueError(f"unsupported store location {store}: use s3://bucket/prefix or a directory")
    # Path.toAbsolutePath().normalize(): no symbolic links resolved, as the command does.
    return os.path.normpath(os.path.abspath(store))


def schema_for_store(store: str) -> str:
    """The schema of a store's tables: ``lake_`` and 64 bits of a SHA-256 of its location (``LakeTables.schemaForStore``)."""
    return "lake_" + hashlib.sha256(store_location(store).encode("utf-8")).hexdigest()[:16]


class Trino:
    """Runs SQL on Trino and returns DataFrames."""

    def __init__(self, settings: Optional[Settings] = None, client: Optional[str] = None, max_rows: int = 1_000_000,
                 timeout_seconds: float = 600):
        self.settings = settings or Settings.from_environment()
        chosen = (client or os.environ.get("WIRELAKE_TRINO_CLIENT", "auto")).lower()
        if chosen not in ("auto", "rest", "dbapi"):
            raise ValueError(f"WIRELAKE_TRINO_CLIENT is auto, rest or dbapi, not {chosen}")
        if chosen == "auto":
            try:
                import trino  # noqa: F401
                chosen = "dbapi"
            except ImportError:
                chosen = "rest"
        self.client = chosen
        # A notebook keeps what a query returns in memory: a bound, not an out-of-memory kernel.
        self.max_rows = max_rows
        self.timeout_seconds = timeout_seconds
        self._session = requests.Session()
        if self.settings.ca_file:
            self._session.verify = self.settings.ca_file

    def __repr__(self):
        return f"Trino({self.settings.describe()}, client {self.client})"

    def query(self, sql: str) -> pd.DataFrame:
        """The rows of one statement as a DataFrame, columns typed from Trino's types."""
        if self.client == "dbapi":
            return self._query_dbapi(sql)
        columns, rows = self._query_rest(sql)
        return _frame(columns, rows)

    def scalar(self, sql: str) -> Any:
        frame = self.query(sql)
        if frame.shape != (1, 1):
            raise ValueError(f"expected one value, got {frame.shape[0]} rows of {frame.shape[1]} columns")
        return frame.iat[0, 0]

    # Trino's client protocol: POST the statement, then GET nextUri until there is none.
    # https://trino.io/docs/current/develop/client-protocol.html
    def _query_rest(self, sql: str):
        settings = self.settings
        headers = {
            "X-Trino-User": settings.user,
            "X-Trino-Catalog": settings.catalog,
            "X-Trino-Time-Zone": "UTC",
            # Without it Trino rounds every timestamp to milliseconds for old clients; the tables hold microseconds.
            "X-Trino-Client-Capabilities": "PARAMETRIC_DATETIME",
            "X-Trino-Source": SOURCE,
            "User-Agent": SOURCE,
            "Content-Type": "text/plain; charset=utf-8",
        }
        if settings.schema:
            headers["X-Trino-Schema"] = settings.schema
        auth = (settings.user, settings.password) if settings.password is not None else None
        deadline = time.monotonic() + self.timeout_seconds
        answer = self._request("POST", settings.url.rstrip("/") + "/v1/statement", headers, auth, sql.encode("utf-8"))
        columns = None
        rows = []
        while True:
            if "error" in answer and answer["error"]:
                raise _error(answer["error"], answer.get("id", ""))
            if answer.get("columns") and columns is None:
                columns = answer["columns"]
            for row in answer.get("data") or []:
                rows.append(row)
            next_uri = answer.get("nextUri")
            if not next_uri:
                break
            if len(rows) > self.max_rows or time.monotonic() > deadline:
                self._cancel(next_uri, headers, auth)
                if len(rows) > self.max_rows:
                    raise TrinoError(f"the query returned more than {self.max_rows} rows: aggregate in SQL, add a LIMIT, or raise max_rows",
                                     error_name="TOO_MANY_ROWS", query_id=answer.get("id", ""))
                raise TrinoError(f"the query ran longer than {self.timeout_seconds:g} s and was cancelled", error_name="TIMEOUT",
                                 query_id=answer.get("id", ""))
            answer = self._request("GET", next_uri, headers, auth, None)
        if len(rows) > self.max_rows:
            raise TrinoError(f"the query returned more than {self.max_rows} rows: aggregate in SQL, add a LIMIT, or raise max_rows",
                             error_name="TOO_MANY_ROWS")
        return columns or [], rows

    def _request(self, method, url, headers, auth, body):
        for attempt in range(RETRIES):
            try:
                response = self._session.request(method, url, headers=headers, auth=auth, data=body, timeout=(10, 120))
            except requests.exceptions.SSLError as error:
                raise TrinoError(f"no TLS connection to {self.settings.describe()}: {str(error)[:300]}; a certificate from a private CA "
                                 f"needs its PEM in REQUESTS_CA_BUNDLE", error_name="TLS") from None
            except requests.Timeout:
                raise TrinoError(f"{self.settings.describe()} did not answer within 120 s", error_name="TIMEOUT") from None
            except requests.ConnectionError as error:
                raise TrinoError(f"cannot reach {self.settings.describe()}: {error.__class__.__name__}; is it running "
                                 f"(wirelake trino start) and are WIRELAKE_TRINO_URL / WIRELAKE_TRINO_PORT right?",
                                 error_name="CONNECTION") from None
            if response.status_code in RETRIED_STATUSES:
                time.sleep(min(0.1 * 2 ** attempt, 2))
                continue
            if response.status_code == 401:
                raise TrinoError(f"{self.settings.describe()} refused the credentials (HTTP 401: {response.text[:200].strip()}): "
                                 f"check WIRELAKE_TRINO_USER and WIRELAKE_TRINO_PASSWORD", error_name="AUTHENTICATION")
            if response.status_code != 200:
                raise TrinoError(f"{self.settings.describe()} answered HTTP {response.status_code}: {response.text[:500].strip()}",
                                 error_name=f"HTTP_{response.status_code}")
            try:
                return response.json()
            except ValueError:
                raise TrinoError(f"{self.settings.describe()} answered something that is not Trino's JSON: {response.text[:200]!r}",
                                 error_name="PROTOCOL") from None
        raise TrinoError(f"{self.settings.describe()} kept answering HTTP {response.status_code}; it may be starting or overloaded",
                         error_name=f"HTTP_{response.status_code}")

    def _cancel(self, next_uri, headers, auth):
        try:
            self._session.delete(next_uri, headers=headers, auth=auth, timeout=(10, 30))
        except requests.RequestException:
            pass  # the query times out on the server when the client stops asking

    def _query_dbapi(self, sql: str) -> pd.DataFrame:
        import trino
        settings = self.settings
        parts = urllib.parse.urlsplit(settings.url)
        arguments = dict(host=parts.hostname, port=parts.port or (443 if parts.scheme == "https" else 80), user=settings.user,
                         catalog=settings.catalog, schema=settings.schema, http_scheme=parts.scheme, source=SOURCE, timezone="UTC")
        if settings.password is not None:
            arguments["auth"] = trino.auth.BasicAuthentication(settings.user, settings.password)
        if settings.ca_file:
            arguments["verify"] = settings.ca_file
        connection = trino.dbapi.connect(**{key: value for key, value in arguments.items() if value is not None})
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql)
                rows = cursor.fetchmany(self.max_rows + 1)
            except trino.exceptions.TrinoQueryError as error:
                location = error.error_location or (None, None)
                raise TrinoError(error.message, error.error_name or "", error.error_type or "", location[0], location[1], error.query_id or "") from None
            if len(rows) > self.max_rows:
                cursor.cancel()
                raise TrinoError(f"the query returned more than {self.max_rows} rows: aggregate in SQL, add a LIMIT, or raise max_rows",
                                 error_name="TOO_MANY_ROWS")
            names = [column[0] for column in cursor.description or []]
            types = [column[1] for column in cursor.description or []]
        finally:
            connection.close()
        frame = pd.DataFrame.from_records(rows, columns=names)
        for name, type_name in zip(names, types):
            if type_name.startswith(("timestamp", "date")):
                frame[name] = pd.to_datetime(frame[name], utc=type_name.endswith("with time zone"))
        return frame


def _error(error: Mapping[str, Any], query_id: str) -> TrinoError:
    location = error.get("errorLocation") or {}
    return TrinoError(error.get("message", "query failed"), error.get("errorName", ""), error.get("errorType", ""),
                      location.get("lineNumber"), location.get("columnNumber"), query_id)


# Trino's JSON values by type (the client protocol): numbers for integers and most doubles,
# strings for decimals, NaN and infinities, dates, times and timestamps, base64 for varbinary,
# lists for arrays and rows, objects for maps.
_INTEGERS = {"tinyint", "smallint", "integer", "bigint"}
_FLOATS = {"real", "double"}


def _frame(columns: Sequence[Mapping[str, Any]], rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    names = [column["name"] for column in columns]
    data = {}
    for index, column in enumerate(columns):
        signature = column.get("typeSignature") or {"rawType": column["type"], "arguments": []}
        values = [_value(signature, row[index]) for row in rows]
        data[index] = _series(signature["rawType"], values)
    frame = pd.DataFrame(data)
    frame.columns = names
    return frame


def _series(raw_type: str, values: list) -> pd.Series:
    if raw_type in _INTEGERS:
        return pd.Series(values, dtype="Int64" if any(value is None for value in values) else "int64")
    if raw_type in _FLOATS:
        return pd.Series([math.nan if value is None else value for value in values], dtype="float64")
    if raw_type == "boolean":
        return pd.Series(values, dtype="boolean" if any(value is None for value in values) else "bool")
    if raw_type in ("timestamp", "date"):
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    if raw_type == "timestamp with time zone":
        return pd.Series(pd.to_datetime(values, utc=True))
    return pd.Series(values, dtype="object")


def _value(signature: Mapping[str, Any], value: Any) -> Any:
    if value is None:
        return None
    raw_type = signature["rawType"]
    arguments = signature.get("arguments") or []
    if raw_type in _FLOATS:
        return float(value)  # "NaN", "Infinity" and "-Infinity" come as strings
    if raw_type == "decimal":
        return decimal.Decimal(value)
    if raw_type == "varbinary":
        return base64.b64decode(value)
    if raw_type in ("timestamp", "date"):
        return pd.Timestamp(value)
    if raw_type == "timestamp with time zone":
        return _zoned(value)
    if raw_type == "array":
        element = arguments[0]["value"]
        return [_value(element, item) for item in value]
    if raw_type == "map":
        key_type, value_type = arguments[0]["value"], arguments[1]["value"]
        return {_value(key_type, key): _value(value_type, item) for key, item in value.items()}
    if raw_type == "row":
        fields = [argument["value"] for argument in arguments]
        return {field.get("fieldName", {}).get("name", f"field{index}"): _value(field["typeSignature"], item)
                for index, (field, item) in enumerate(zip(fields, value))}
    return value


def _zoned(value: str) -> pd.Timestamp:
    """``2026-03-14 22:00:00.123456 UTC`` or ``... +01:00`` or ``... Europe/Paris`` as an aware Timestamp."""
    moment, _, zone = value.rpartition(" ")
    stamp = pd.Timestamp(moment)
    if zone.startswith(("+", "-")):
        offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        return stamp.tz_localize(datetime.timezone(offset if zone[0] == "+" else -offset))
    return stamp.tz_localize("UTC" if zone in ("UTC", "Z") else zone)


class Lake:
    """A store's tables on Trino: ``api_calls`` and ``flows``, one partition per dissected snapshot."""

    TABLES = ("api_calls", "flows")

    def __init__(self, trino: Optional[Trino] = None, store: Optional[str] = None, schema: Optional[str] = None):
        """The store's tables, in the schema given or else the one the command names for the store (default: the command's default store)."""
        self.trino = trino or Trino()
        self.store = store or (None if schema else default_store())
        self.schema = schema or schema_for_store(self.store)

    def __repr__(self):
        return f"Lake(schema {self.schema} ({self._whose()}), {self.trino.settings.describe()})"

    def table(self, name: str) -> str:
        """The qualified name of one of the lake's tables."""
        if name not in self.TABLES:
            raise ValueError(f"the lake's tables are {', '.join(self.TABLES)}, not {name}")
        return self._qualified(name)

    def _qualified(self, name: str) -> str:
        return ".".join(sql_identifier(part) for part in (self.trino.settings.catalog, self.schema, name))

    def snapshots(self) -> list:
        """The snapshots whose partitions Trino knows, in name order."""
        tables = self.trino.query("SELECT table_name FROM " + sql_identifier(self.trino.settings.catalog)
                                  + ".information_schema.tables WHERE table_schema = " + sql_string(self.schema))
        if "api_calls" not in set(tables["table_name"]):
            raise LookupError(f"{self.trino.settings.describe()} has no wirelake tables in schema {self.schema} "
                              f"({self._whose()}): query a snapshot of the store once with the wirelake command, "
                              f"e.g. wirelake --store STORE sql --snapshot NAME 'SELECT 1'")
        partitions = self.trino.query("SELECT snapshot_id FROM " + self._qualified("api_calls$partitions") + " ORDER BY 1")
        return list(partitions["snapshot_id"])

    def require(self, *snapshots: str) -> None:
        """Fails, with the fix, when a snapshot's partitions are not registered (not dissected, or never queried on this Trino)."""
        known = set(self.snapshots())
        missing = [name for name in snapshots if name not in known]
        if missing:
            store = f"--store {self.store} " if self.store else ""
            raise LookupError(f"snapshot(s) {', '.join(missing)} not registered in schema {self.schema} ({self._whose()}); "
                              f"registered: {', '.join(sorted(known)) or 'none'}. Dissect them, then register them with: "
                              + "; ".join(f"wirelake {store}sql --snapshot {name} 'SELECT 1'" for name in missing))

    def scope(self, *snapshots: str) -> str:
        """The predicate that keeps a query to these snapshots' partitions."""
        if not snapshots:
            raise ValueError("name at least one snapshot")
        return sql_identifier("snapshot_id") + " IN (" + ", ".join(sql_string(name) for name in snapshots) + ")"

    def query(self, sql: str) -> pd.DataFrame:
        return self.trino.query(sql)

    def _whose(self) -> str:
        return f"the store {store_location(self.store)}" if self.store and self.schema == schema_for_store(self.store) else "given by name"

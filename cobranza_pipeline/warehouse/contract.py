"""The source contract: the raw tables and columns the ops layer reads (docs/source-contract.md).

Every asset verifies the whole contract before its DDL (one catalog query), so a renamed or
missing raw column stops a run before anything is created, with an error that names the
table and column, instead of failing halfway through the views.
"""

from cobranza_pipeline.warehouse.sqlfiles import read_sql


class SourceContractError(RuntimeError):
    """The database lacks a raw table or column the pipeline reads (or its type is wrong)."""


def contract_violations(conn) -> list[tuple[str, str, str, str | None, str]]:
    """(table, column, expected type, actual type, problem) for each violation."""
    return conn.execute(read_sql("contract/missing_columns.sql")).fetchall()


def verify_source_contract(conn) -> None:
    violations = contract_violations(conn)
    if not violations:
        return
    missing_tables = sorted({table for table, _c, _e, _a, problem in violations if problem == "missing table"})
    lines = [f"{table}: missing table" for table in missing_tables]
    lines += [
        f"{table}.{column}: {problem}" + (f" (expected {expected}, found {actual})" if problem == "wrong type" else "")
        for table, column, expected, actual, problem in violations
        if problem != "missing table"
    ]
    raise SourceContractError("the database does not honour the source contract: " + "; ".join(lines))

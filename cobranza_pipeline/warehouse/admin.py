"""Server-level housekeeping: databases the product makes for itself (the embedded server's,
the benchmark's, the tests'). Never run against a production database's own data."""

from psycopg import sql
from psycopg.conninfo import make_conninfo

from cobranza_pipeline.warehouse.sessions import connect
from cobranza_pipeline.warehouse.sqlfiles import read_sql, statement


def database_exists(admin_url: str, dbname: str) -> bool:
    with connect(admin_url) as conn:
        return _exists(conn, dbname)


def create_database(admin_url: str, dbname: str, template: str | None = None) -> bool:
    """Create dbname unless it exists; True when it was created."""
    name = sql.Identifier(dbname)
    with connect(admin_url) as conn:
        if _exists(conn, dbname):
            return False
        if template:
            conn.execute(statement("admin/create_database_from_template.sql", dbname=name,
                                   template=sql.Identifier(template)))
        else:
            conn.execute(statement("admin/create_database.sql", dbname=name))
    return True


def _exists(conn, dbname: str) -> bool:
    return conn.execute(read_sql("admin/database_exists.sql"), {"dbname": dbname}).fetchone() is not None


def drop_database(admin_url: str, dbname: str) -> None:
    with connect(admin_url) as conn:
        conn.execute(statement("admin/drop_database.sql", dbname=sql.Identifier(dbname)))


def rename_database(admin_url: str, dbname: str, new_name: str) -> None:
    with connect(admin_url) as conn:
        conn.execute(statement("admin/rename_database.sql", dbname=sql.Identifier(dbname),
                               new_name=sql.Identifier(new_name)))


def database_url(admin_url: str, dbname: str) -> str:
    """The admin URL pointed at another database of the same server."""
    return make_conninfo(admin_url, dbname=dbname)

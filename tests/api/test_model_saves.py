"""Saving model files from the editor: no empty versions, and problems only where they are.

Driven through GraphQL as the web app's editor does it (``createModelVersion``).
"""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import World
from tests.api.test_datasources import SAVE, create, make_sqlite


def team_sqlite(world: World, tmp_path: Path) -> str:
    """A SQLite source in the team's own folder (DATA_DIR/files/<team id>/)."""
    folder = tmp_path / "files" / world.team_id
    folder.mkdir(parents=True, exist_ok=True)
    return str(make_sqlite(folder / "s.sqlite"))


VERSIONS = """query($id: ID!) { modelVersions(dataSourceId: $id) { id number } }"""

ORDERS = """cubes:
  - name: orders
    sql_table: orders
    joins:
      - name: customers
        relationship: many_to_one
        sql: "{CUBE}.customer_id = {customers}.id"
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: customer_name, sql: "{customers.name}", type: string }
    measures:
      - { name: count, type: count }
"""

CUSTOMERS = """cubes:
  - name: customers
    sql_table: customers
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: name, sql: name, type: string }
"""

# One missing brace: the whole file is not YAML.
CUSTOMERS_BROKEN = CUSTOMERS.replace("primary_key: true }", "primary_key: true")


async def test_saving_unchanged_files_makes_no_new_version(world: World, tmp_path: Path) -> None:
    ds = await create(world.owner, world.team_id, "SQLITE", {"path": team_sqlite(world, tmp_path)})
    assert ds["__typename"] == "DataSource", ds
    files = [{"name": "orders.yml", "code": ORDERS}, {"name": "customers.yml", "code": CUSTOMERS}]
    first = (await world.owner.gql(SAVE, input={"dataSourceId": ds["id"], "files": files})
             )["createModelVersion"]
    assert first["__typename"] == "ModelVersion", first
    # The same files again (in another order, by another author): the live version answers.
    again = (await world.admin.gql(SAVE, input={"dataSourceId": ds["id"],
                                                "files": list(reversed(files))})
             )["createModelVersion"]
    assert (again["id"], again["number"]) == (first["id"], first["number"])
    versions = (await world.owner.gql(VERSIONS, id=ds["id"]))["modelVersions"]
    assert [v["number"] for v in versions] == [first["number"]]
    # A real change still makes the next version.
    changed = [files[0], {"name": "customers.yml", "code": CUSTOMERS + "# edited\n"}]
    nxt = (await world.owner.gql(SAVE, input={"dataSourceId": ds["id"], "files": changed})
           )["createModelVersion"]
    assert nxt["number"] == first["number"] + 1


async def test_a_yaml_error_is_reported_only_in_its_own_file(world: World,
                                                            tmp_path: Path) -> None:
    ds = await create(world.owner, world.team_id, "SQLITE", {"path": team_sqlite(world, tmp_path)})
    bad = (await world.owner.gql(SAVE, input={"dataSourceId": ds["id"], "files": [
        {"name": "orders.yml", "code": ORDERS},
        {"name": "customers.yml", "code": CUSTOMERS_BROKEN}]}))["createModelVersion"]
    assert bad["__typename"] == "UserError", bad
    # Before: orders.yml was also blamed for a "join to unknown cube customers" and an
    # "unknown cube customers" — cubes defined in the file that could not be read.
    assert [(p["file"], p["message"].split(":")[0]) for p in bad["problems"]] == [
        ("customers.yml", "YAML syntax error")]
    # A reference to a cube that exists nowhere is still a problem when every file parses.
    typo = (await world.owner.gql(SAVE, input={"dataSourceId": ds["id"], "files": [
        {"name": "orders.yml", "code": ORDERS.replace("{customers.name}", "{custmers.name}")},
        {"name": "customers.yml", "code": CUSTOMERS}]}))["createModelVersion"]
    assert [p["file"] for p in typo["problems"]] == ["orders.yml"]
    assert "unknown cube custmers" in typo["problems"][0]["message"]

"""The README's example: a diamond DAG of Python functions."""

from hera.workflows import DAG, Workflow, script


@script()
def echo(message: str):
    print(message)


with Workflow(generate_name="diamond-", entrypoint="diamond") as w:
    with DAG(name="diamond"):
        a = echo(name="a", arguments={"message": "A"})
        b = echo(name="b", arguments={"message": "B"})
        c = echo(name="c", arguments={"message": "C"})
        d = echo(name="d", arguments={"message": "D"})
        a >> [b, c] >> d

if __name__ == "__main__":
    print(w.to_yaml())

"""`to_yaml()` text for the spec's hello-world example (§3.1), byte for byte."""

from __future__ import annotations

from hera.workflows import Steps, Workflow, script

EXPECTED = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-world-
spec:
  entrypoint: steps
  templates:
  - name: steps
    steps:
    - - name: hello
        template: hello
        arguments:
          parameters:
          - name: s
            value: '{{workflow.parameters.s}}'
  - name: hello
    inputs:
      parameters:
      - name: s
    script:
      image: python:3.10
      source: |-
        import os
        import sys
        sys.path.append(os.getcwd())
        import json
        try: s = json.loads(r'''{{inputs.parameters.s}}''')
        except: s = r'''{{inputs.parameters.s}}'''

        print('Hello, ' + s)
      command:
      - python
  arguments:
    parameters:
    - name: s
      value: world
    - name: 'n'
      value: '3'
"""


@script()
def hello(s: str):
    print("Hello, " + s)


def test_hello_world_yaml() -> None:
    with Workflow(generate_name="hello-world-", entrypoint="steps", arguments={"s": "world", "n": 3}) as w:
        with Steps(name="steps"):
            hello(arguments={"s": "{{workflow.parameters.s}}"})
    assert w.to_yaml() == EXPECTED

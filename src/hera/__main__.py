"""`python -m hera` runs the command line."""

from hera._cli.main import main

main()

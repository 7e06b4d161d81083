"""`python -m r2r_client`: the `r2r-client` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m outreach …` (and the `outreach` console script): the same commands as
`flask --app outreach …`, without having to name the app."""

from __future__ import annotations

from flask.cli import FlaskGroup

from outreach import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, name="outreach",
               help="Admin commands of the outreach server (docs/operations.md).")(
        prog_name="python -m outreach")


if __name__ == "__main__":
    main()

from tests.app.fixtures import *  # noqa: F403  (the shared fixtures)

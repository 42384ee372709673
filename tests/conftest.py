pytest_plugins = ["tests.fixtures.database", "tests.fixtures.world", "tests.fixtures.server"]

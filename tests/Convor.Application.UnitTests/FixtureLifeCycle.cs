// Each test gets a fresh fixture instance, so the scenario fields (fake clock, mocks,
// aggregates) never carry state from one test into the next.
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]

using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests;

/// <summary>
/// Once per test run, around every fixture (it sits in the root namespace of the tests): stops the shared
/// PostgreSQL cluster (if a fixture started one) and deletes its directory.
/// </summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public Task StopSharedDatabaseServersAsync() => PostgresCluster.DisposeSharedAsync();
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Convor.Infrastructure.Persistence;

// Used only by `dotnet ef migrations add`: each provider's migrations are generated from the
// same model against its own context type. No database is contacted.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteConvorDbContext>
{
    public SqliteConvorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteConvorDbContext>().UseSqlite(DatabaseOptions.DefaultSqliteConnectionString).Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerConvorDbContext>
{
    public SqlServerConvorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerConvorDbContext>().UseSqlServer("Server=localhost;Database=convor;Trusted_Connection=True;TrustServerCertificate=True").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresConvorDbContext>
{
    public PostgresConvorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresConvorDbContext>().UseNpgsql("Host=localhost;Database=convor").Options);
}

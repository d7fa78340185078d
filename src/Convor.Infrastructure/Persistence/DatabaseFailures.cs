using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace Convor.Infrastructure.Persistence;

/// <summary>Tells a database that is away (503, retry later) from a bug (500), for every provider.</summary>
public static class DatabaseFailures
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case RetryLimitExceededException:
                case TimeoutException:
                case System.Net.Sockets.SocketException:
                case Npgsql.NpgsqlException { IsTransient: true }:
                case Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08006" or "08001" or "08004" }:
                    return true;
                // -2 timeout; 53/10053/10054/10060/64/233 network; 4060/18456 login; 40613 not available.
                case Microsoft.Data.SqlClient.SqlException { Number: -2 or 53 or 64 or 233 or 4060 or 18456 or 10053 or 10054 or 10060 or 40613 }:
                    return true;
                // 5 busy, 6 locked, 14 cannot open: another writer holds the file longer than the timeout.
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 14 }:
                    return true;
                case DbException when current.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase):
                    return true;
            }
        }
        return false;
    }
}

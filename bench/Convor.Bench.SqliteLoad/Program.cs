using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

// Loads rows into a table of a Convor SQLite database, through the SQLite the API uses (so the
// triggers of the search index fire as they do for the API's own writes).
//
// Usage: Convor.Bench.SqliteLoad <database file> <table> <column,column,...>   < rows
// The rows are PostgreSQL's COPY text format: one row a line, columns separated by tabs, \N for
// NULL (the bench's values hold no tab, newline or backslash). One transaction, one prepared
// INSERT; prints how many rows and how long it took.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Convor.Bench.SqliteLoad <database file> <table> <column,column,...> < rows");
    return 2;
}
var (path, table, columns) = (args[0], args[1], args[2].Split(','));

await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite }.ToString());
await connection.OpenAsync();
await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
await using var insert = connection.CreateCommand();
insert.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
var parameters = columns.Select((_, i) => insert.Parameters.Add("$p" + i, SqliteType.Text)).ToArray();

var watch = Stopwatch.StartNew();
var rows = 0;
while (Console.In.ReadLine() is { } line)
{
    var values = line.Split('\t');
    if (values.Length != columns.Length) throw new InvalidDataException($"row {rows + 1}: {values.Length} values for {columns.Length} columns");
    for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i] == "\\N" ? DBNull.Value : values[i];
    await insert.ExecuteNonQueryAsync();
    rows++;
}
await transaction.CommitAsync();
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {table}: {rows} rows in {watch.Elapsed.TotalSeconds:F1} s"));
return 0;

using System.Text.Json;
using System.Text.Json.Serialization;
using Convor.Api.Errors;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Convor.Api.FunctionalTests.Transport;

/// <summary>
/// Where our code reads framework text (exception messages, type names) to decide an
/// answer, each text is pinned here: an upgrade that rewords it fails this test instead of
/// silently changing what clients get.
/// </summary>
public sealed class FrameworkTextTests
{
    private sealed record Body(string? Name);

    private static readonly JsonSerializerOptions Strict = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    [Test]
    public void An_unmapped_member_is_worded_as_ModelStateErrors_expects()
    {
        var exception = Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Body>("""{"nmae":"x"}""", Strict));
        exception.Message.ShouldContain(ModelStateErrors.UnmappedMemberText);
        exception.Path.ShouldBe("$.nmae");
    }

    [Test]
    public void A_duplicate_member_is_worded_as_ModelStateErrors_expects()
    {
        var exception = Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Body>("""{"Name":"x","Name":"y"}""", Strict));
        exception.Message.ShouldStartWith(ModelStateErrors.DuplicateMemberText);
    }

    [Test]
    public void A_syntax_error_comes_from_the_reader_type_ModelStateErrors_expects()
    {
        var exception = Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Body>("""{"Name":""", Strict));
        exception.InnerException?.GetType().Name.ShouldBe(ModelStateErrors.ReaderExceptionTypeName);
    }

    [Test]
    public void A_missing_body_is_worded_as_ModelStateErrors_expects()
    {
        // MVC's resource text for a required body that is empty (EmptyBodyBehavior.Disallow).
        var resources = typeof(ModelBindingContext).Assembly.GetTypes()
            .Concat(typeof(Microsoft.AspNetCore.Mvc.ControllerBase).Assembly.GetTypes())
            .Where(t => t.Name == "Resources")
            .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
            .Where(p => p.PropertyType == typeof(string))
            .Select(p => p.GetValue(null) as string)
            .Where(text => text is not null);
        resources.ShouldContain(text => text!.Contains(ModelStateErrors.EmptyBodyText, StringComparison.Ordinal));
    }

    [Test]
    public void A_timeout_is_recognised_by_the_words_DatabaseFailures_matches()
    {
        // Providers without a typed timeout (SQLite's busy timeout surfaces as a DbException) are matched by this word.
        DatabaseFailures.IsUnavailable(new Microsoft.Data.Sqlite.SqliteException("Command timeout expired", 1)).ShouldBeTrue();
        DatabaseFailures.IsUnavailable(new Microsoft.Data.Sqlite.SqliteException("UNIQUE constraint failed", 19)).ShouldBeFalse();
    }
}

/// <summary>
/// SQL Server says which constraint a duplicate key broke only in the text of error 2627
/// (documented template: "Violation of %ls constraint '%.*ls'. Cannot insert duplicate key in
/// object '%.*ls'. The duplicate key value is %ls."). The unit of work accepts a resent save only
/// for EF's primary keys ('PK_…'); this pins that match against the documented text, since no
/// SQL Server runs here to produce a real one.
/// </summary>
public sealed class SqlServerDuplicateKeyTextTests
{
    private static string DocumentedText(string constraint) =>
        $"Violation of PRIMARY KEY constraint '{constraint}'. Cannot insert duplicate key in object 'dbo.conversations'. The duplicate key value is (0193a0b0-0000-7000-8000-000000000001).";

    [TestCase("PK_conversations", true)]
    [TestCase("IX_operators_organization_id_email", false)]
    [TestCase("AK_something_PK_like", false)]
    public void Only_a_primary_key_named_in_error_2627_is_a_resent_save(string constraint, bool isPrimaryKey)
    {
        var exception = new Microsoft.EntityFrameworkCore.DbUpdateException("save failed", SqlServerError(2627, DocumentedText(constraint)));
        UnitOfWork.IsPrimaryKeyViolation(exception).ShouldBe(isPrimaryKey);
        UnitOfWork.IsUniqueViolation(exception).ShouldBeTrue();
    }

    /// <summary>SqlClient has no public constructor for its exception; its internal factory is what the driver itself uses.</summary>
    private static Microsoft.Data.SqlClient.SqlException SqlServerError(int number, string message)
    {
        const System.Reflection.BindingFlags Internal = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static;
        var errorType = typeof(Microsoft.Data.SqlClient.SqlError);
        var constructor = errorType.GetConstructors(Internal)
            .OrderByDescending(c => c.GetParameters().Length)
            .First(c => c.GetParameters() is [{ ParameterType.Name: "Int32" }, { ParameterType.Name: "Byte" }, { ParameterType.Name: "Byte" }, ..]);
        var arguments = constructor.GetParameters().Select(p => p.Name switch
        {
            "infoNumber" => (object?)number,
            "errorState" => (byte)1,
            "errorClass" => (byte)14,
            "errorMessage" => message,
            "server" or "procedure" => "",
            "lineNumber" => 1,
            "win32ErrorCode" => Convert.ChangeType(0, p.ParameterType, System.Globalization.CultureInfo.InvariantCulture),
            _ => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null,
        }).ToArray();
        var error = constructor.Invoke(arguments);
        var errors = typeof(Microsoft.Data.SqlClient.SqlErrorCollection).GetConstructors(Internal).First().Invoke([]);
        typeof(Microsoft.Data.SqlClient.SqlErrorCollection).GetMethod("Add", Internal)!.Invoke(errors, [error]);
        var create = typeof(Microsoft.Data.SqlClient.SqlException).GetMethods(Internal)
            .First(m => m.Name == "CreateException" && m.GetParameters() is [{ ParameterType.Name: "SqlErrorCollection" }, { ParameterType.Name: "String" }]);
        return (Microsoft.Data.SqlClient.SqlException)create.Invoke(null, [errors, "16.0"])!;
    }
}

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

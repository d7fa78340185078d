using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Operators;

public sealed class CreateOperatorRequiredFieldsTests(string database) : LifecycleApiTestBase(database)
{
    [TestCase("""{"email":"a@example.test"}""", "name", "is required")]
    [TestCase("""{"name":"Ada"}""", "email", "is required")]
    public async Task A_missing_name_or_email_is_400_naming_the_field(string json, string field, string message)
    {
        using var response = await Client.PostAsync("/api/operators", Json(json));

        await ShouldBeValidationErrorOnAsync(response, field, message);
    }
}

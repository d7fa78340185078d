using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;

namespace Convor.Api.Auth;

/// <summary>The caller of the current request, read from the authenticated principal.</summary>
internal sealed class HttpCurrentCaller(IHttpContextAccessor accessor) : ICurrentCaller
{
    public OrganizationId OrganizationId =>
        Guid.TryParse(accessor.HttpContext?.User.FindFirst(ConvorClaims.OrganizationId)?.Value, out var id) ? new OrganizationId(id) : default;

    public string Actor =>
        accessor.HttpContext?.User.FindFirst(ConvorClaims.KeyId)?.Value is { } keyId ? "apiKey:" + keyId : "system";
}

namespace Convor.Application.Common.Models;

/// <summary>
/// Base of every request body the API binds from JSON. Its <see cref="ToString"/> names the
/// type and nothing else, so a body never reaches a log line through string formatting (MVC
/// logs action arguments with <c>ToString()</c> at Trace level, and a record's generated
/// <c>ToString()</c> would print every member, personal data and metadata included).
/// </summary>
public abstract record RequestBody
{
    public sealed override string ToString() => GetType().Name;
}

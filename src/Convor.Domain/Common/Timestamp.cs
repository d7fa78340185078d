namespace Convor.Domain.Common;

/// <summary>
/// Every instant the domain stores is UTC with millisecond precision: the wire format has
/// exactly three fractional digits, so anything finer would make the stored value, the
/// value a client sees and the value a cursor carries disagree.
/// </summary>
public static class Timestamp
{
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}

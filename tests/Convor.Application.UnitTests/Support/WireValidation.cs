using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Exceptions;
using FluentValidation;
using Mediator;

namespace Convor.Application.UnitTests.Support;

/// <summary>Runs a message through the validation behaviour, so failures come out as the wire reports them.</summary>
internal static class WireValidation
{
    /// <summary>The <c>details</c> of the <c>validation_error</c>, or an empty map when the message passes.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> ErrorsOf<TMessage>(IValidator<TMessage> validator, TMessage message)
        where TMessage : notnull, IMessage
    {
        var behaviour = new ValidationBehaviour<TMessage, string>([validator]);
        try
        {
            await behaviour.Handle(message, (_, _) => ValueTask.FromResult("handled"), CancellationToken.None);
            return new Dictionary<string, string[]>();
        }
        catch (RequestValidationException exception)
        {
            return exception.Errors;
        }
    }
}

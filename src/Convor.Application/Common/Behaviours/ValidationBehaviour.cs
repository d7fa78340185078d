using Convor.Application.Common.Exceptions;
using FluentValidation;
using Mediator;

namespace Convor.Application.Common.Behaviours;

/// <summary>
/// Runs every validator of the message and reports all failures at once as
/// <c>validation_error</c>, each field under its camelCase wire name.
/// </summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators.ToArray();

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length > 0)
        {
            var context = new ValidationContext<TMessage>(message);
            var failures = new List<FluentValidation.Results.ValidationFailure>();
            foreach (var validator in _validators)
            {
                var result = await validator.ValidateAsync(context, cancellationToken);
                failures.AddRange(result.Errors);
            }
            if (failures.Count > 0)
            {
                var errors = failures
                    .GroupBy(f => WireName(f.PropertyName), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
                throw new RequestValidationException(errors);
            }
        }
        return await next(message, cancellationToken);
    }

    /// <summary><c>Metadata.Tags[0]</c> → <c>metadata.tags[0]</c>.</summary>
    internal static string WireName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}

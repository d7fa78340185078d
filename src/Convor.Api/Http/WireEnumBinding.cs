using Convor.Application.Common.Serialization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Convor.Api.Http;

/// <summary>
/// Enum values in the query string or path are bound by their wire names only (ignoring
/// case): <c>status=open</c>. The framework's converter would also take <c>status=1</c> and
/// <c>status=open,closed</c> (silently read as <c>closed</c>); here those are 400
/// <c>validation_error</c> naming the allowed values, like an unknown value in a JSON body.
/// </summary>
internal sealed class WireEnumModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Metadata.UnderlyingOrModelType;
        if (!type.IsEnum || context.BindingInfo.BindingSource == BindingSource.Body) return null;
        return new WireEnumModelBinder(type);
    }
}

internal sealed class WireEnumModelBinder(Type enumType) : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var value = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (value == ValueProviderResult.None) return Task.CompletedTask;
        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);

        var text = value.FirstValue?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            // `status=` is no filter, as if absent (bound to null, so the entry counts as valid).
            bindingContext.Result = ModelBindingResult.Success(null);
            return Task.CompletedTask;
        }

        if (!WireEnums.TryParse(enumType, text, out var parsed))
        {
            // ModelStateErrors turns this into "must be one of: …" under the parameter's name.
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, "is not valid");
            return Task.CompletedTask;
        }
        bindingContext.Result = ModelBindingResult.Success(parsed);
        return Task.CompletedTask;
    }
}

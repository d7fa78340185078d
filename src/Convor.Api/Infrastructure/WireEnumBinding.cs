using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Convor.Api;

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
        if (context.BindingInfo.BindingSource == BindingSource.Body) return null;
        var type = context.Metadata.UnderlyingOrModelType;
        if (type.IsEnum) return new WireEnumModelBinder(type);
        // Any-of filters: `availability=online&availability=away` or `availability=online,away`.
        if (type.IsArray && type.GetElementType() is { IsEnum: true } element) return new WireEnumListModelBinder(element);
        return null;
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

        if (TryParse(enumType, text) is not { } parsed)
        {
            // ModelStateErrors turns this into "must be one of: …" under the parameter's name.
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, "is not valid");
            return Task.CompletedTask;
        }
        bindingContext.Result = ModelBindingResult.Success(parsed);
        return Task.CompletedTask;
    }

    /// <summary>The member whose wire name is <paramref name="text"/> (ignoring case), or null.</summary>
    internal static object? TryParse(Type enumType, string text) =>
        Enum.GetNames(enumType).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse(enumType, name)
            : null;
}

/// <summary>
/// An any-of enum filter: every occurrence of the parameter, each split on commas, bound by
/// wire name like <see cref="WireEnumModelBinder"/>; one unknown value is 400 for the parameter.
/// Absent or empty: no filter (an empty array).
/// </summary>
internal sealed class WireEnumListModelBinder(Type enumType) : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var value = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (value == ValueProviderResult.None) return Task.CompletedTask;
        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);

        var texts = value.Values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        var result = Array.CreateInstance(enumType, texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (WireEnumModelBinder.TryParse(enumType, texts[i]) is not { } parsed)
            {
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, "is not valid");
                return Task.CompletedTask;
            }
            result.SetValue(parsed, i);
        }
        bindingContext.Result = ModelBindingResult.Success(result);
        return Task.CompletedTask;
    }
}

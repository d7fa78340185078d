using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace Convor.Api.Binding;

/// <summary>
/// A query parameter bound to an array (the list filters) takes several values as any-of,
/// repeated or comma-separated alike: <c>status=open&amp;status=snoozed</c> and
/// <c>status=open,snoozed</c> bind the same two values. Each value is then bound by the element
/// type's own binder (enums by wire name, UUIDs), so a bad one is 400 under the parameter's name.
/// </summary>
internal sealed class AnyOfQueryModelBinderProvider : IModelBinderProvider
{
    private readonly ArrayModelBinderProvider _arrays = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Metadata.ModelType.IsArray || context.BindingInfo.BindingSource != BindingSource.Query) return null;
        return _arrays.GetBinder(context) is { } array ? new AnyOfQueryModelBinder(array) : null;
    }
}

internal sealed class AnyOfQueryModelBinder(IModelBinder array) : IModelBinder
{
    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var given = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (given == ValueProviderResult.None)
        {
            await array.BindModelAsync(bindingContext);
            return;
        }

        // `status=` (or `status=,`) is no filter, as if absent.
        var values = given.Values
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        var original = bindingContext.ValueProvider;
        bindingContext.ValueProvider = new SplitValues(bindingContext.ModelName, new ValueProviderResult(values, given.Culture), original);
        try
        {
            await array.BindModelAsync(bindingContext);
        }
        finally
        {
            bindingContext.ValueProvider = original;
        }
    }

    private sealed class SplitValues(string name, ValueProviderResult values, IValueProvider others) : IValueProvider
    {
        public bool ContainsPrefix(string prefix) => string.Equals(prefix, name, StringComparison.OrdinalIgnoreCase) || others.ContainsPrefix(prefix);

        public ValueProviderResult GetValue(string key) =>
            string.Equals(key, name, StringComparison.OrdinalIgnoreCase) ? values : others.GetValue(key);
    }
}

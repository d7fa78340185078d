using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Convor.Infrastructure.Persistence;

/// <summary>
/// An EF compiled query, compiled once per model. The hot reads (a command's load, GET by id)
/// are compiled so that EF skips its per-call query building (funcletizing, cache key, parameter
/// extraction), which the CPU profile found among the top costs of a request
/// (docs/performance.md, issue 16). A compiled query keeps the executor of the first model it
/// ran on, and each provider has its own model (the tests run several in one process), so the
/// delegate is kept per model.
/// </summary>
internal sealed class CompiledPerModel<TDelegate>(Func<TDelegate> compile) where TDelegate : class
{
    private readonly ConditionalWeakTable<IModel, TDelegate> _byModel = new();

    public TDelegate For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}

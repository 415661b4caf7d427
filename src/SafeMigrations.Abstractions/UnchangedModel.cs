using System;
using System.Linq;
using System.Reflection;

namespace SafeMigrations;

/// <summary>
/// The target model of a migration that changes the database but not EF's model (every SafeMigrations
/// template: a concurrent index, a NOT VALID constraint, a backfill, a drop after the model stopped mapping):
/// the target model of the same context's migration before it. Its Designer returns it from
/// <c>TargetModel</c>, so EF generates SQL against the right model, <c>dotnet ef migrations remove</c> of a
/// later migration restores the snapshot whole, and the build gate judges the previous release against it.
/// </summary>
/// <remarks>
/// Found by reflection (this package depends on nothing): the migrations of the same assembly whose
/// <c>[DbContext]</c> names the same context, ordered by their <c>[Migration]</c> ids as EF orders them.
/// </remarks>
public static class UnchangedModel
{
    private const string MigrationAttribute = "Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute";
    private const string DbContextAttribute = "Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute";

    /// <summary>The target model (an EF <c>IModel</c>) of the migration before <paramref name="migration"/>; null when it is the first.</summary>
    public static object? Of(object migration)
    {
        if (migration is null)
        {
            throw new ArgumentNullException(nameof(migration));
        }

        var type = migration.GetType();
        var id = Argument<string>(type, MigrationAttribute);
        var context = Argument<Type>(type, DbContextAttribute);
        if (id is null || context is null)
        {
            return null;
        }

        Type? previous = null;
        string? previousId = null;
        foreach (var candidate in Types(type.Assembly))
        {
            if (candidate.IsAbstract || Argument<string>(candidate, MigrationAttribute) is not { } candidateId
                || string.CompareOrdinal(candidateId, id) >= 0
                || (previousId is not null && string.CompareOrdinal(candidateId, previousId) <= 0)
                || Argument<Type>(candidate, DbContextAttribute) != context)
            {
                continue;
            }

            previous = candidate;
            previousId = candidateId;
        }

        return previous is null ? null : previous.GetProperty("TargetModel")?.GetValue(Activator.CreateInstance(previous));
    }

    private static T? Argument<T>(Type type, string attribute)
        where T : class =>
        type.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == attribute)?.ConstructorArguments.FirstOrDefault().Value as T;

    private static Type[] Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null).ToArray()!;
        }
    }
}

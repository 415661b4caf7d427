using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace SafeMigrations.Design;

/// <summary>
/// Finds the app's DbContext types as EF's tools do (design-time factories, the contexts migrations and
/// snapshots name, DbContext subclasses) and creates them through EF's own DbContextActivator, which
/// uses a design-time factory, the app's host builder, or a constructor, in EF's order.
/// </summary>
internal static class DesignTimeContexts
{
    public static IReadOnlyList<Type> Find(AppAssemblies app, IReadOnlyList<string> wanted)
    {
        var found = new List<Type>();
        void Add(Type? type)
        {
            if (type is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(DbContext).IsAssignableFrom(type) && !found.Contains(type))
            {
                found.Add(type);
            }
        }

        var assemblies = new[] { app.Startup, app.Target }.Distinct().ToList();
        foreach (var type in assemblies.SelectMany(Types))
        {
            foreach (var factory in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>)))
            {
                Add(factory.GetGenericArguments()[0]);
            }
        }

        foreach (var type in Types(app.Target))
        {
            Add(type.GetCustomAttribute<DbContextAttribute>()?.ContextType);
        }

        foreach (var type in assemblies.SelectMany(Types))
        {
            Add(type);
        }

        if (found.Count == 0)
        {
            throw new DesignHostException($"No DbContext was found in {app.Target.GetName().Name}{(app.Startup != app.Target ? " or " + app.Startup.GetName().Name : string.Empty)}. Point the gate at the project that holds the DbContext and its migrations.");
        }

        if (wanted.Count == 0)
        {
            // In the order of their names: every command meets them in the same order, build after build.
            return found.OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        }

        var chosen = new List<Type>();
        foreach (var name in wanted)
        {
            var match = found.Where(t => string.Equals(t.FullName, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                match = found.Where(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            if (match.Count != 1)
            {
                throw new DesignHostException(match.Count == 0
                    ? $"No DbContext named '{name}' was found; the app has {string.Join(", ", found.Select(t => t.Name))}. Fix the context name."
                    : $"More than one DbContext is named '{name}' ({string.Join(", ", match.Select(t => t.FullName))}): give the full name.");
            }

            chosen.Add(match[0]);
        }

        return chosen;
    }

    /// <summary>Creates the context as `dotnet ef` would; a failure says why and how to fix it.</summary>
    public static DbContext Create(Type contextType, AppAssemblies app, string[] appArguments, Action<string> report)
    {
        var handler = new OperationReportHandler(
            errorHandler: report,
            warningHandler: report,
            informationHandler: _ => { },
            verboseHandler: _ => { });
        try
        {
            return DbContextActivator.CreateInstance(contextType, app.Startup, handler, appArguments);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cause = Innermost(e);
            throw new DesignHostException(
                $"{contextType.Name} could not be created: {Redact.Secrets(OneLine(cause.Message))} " + (app.Startup.EntryPoint is null
                    ? $"{app.Startup.GetName().Name} is a class library: name the app that configures {contextType.Name} (safemig --startup-project, or <SafeMigrationsMigrationsProject> in that app's project file with the build gate there), or give it a design-time factory (a class implementing IDesignTimeDbContextFactory<{contextType.Name}>)."
                    : $"Give it a design-time factory (a class implementing IDesignTimeDbContextFactory<{contextType.Name}>), or make the startup project's host build without a running database."),
                e);
        }
    }

    // EF wraps the app's own exception ("Unable to create a 'DbContext' … (inner: the real cause)"): say both.
    private static Exception Innermost(Exception e)
    {
        while (e is TargetInvocationException or AggregateException && e.InnerException is not null)
        {
            e = e.InnerException!;
        }

        var root = e;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        return ReferenceEquals(root, e) ? e : new InvalidOperationException(e.Message.TrimEnd() + " (" + root.Message.Trim().TrimEnd('.') + ").");
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

    /// <summary>The assembly's types, those that load when some do not.</summary>
    public static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null)!;
        }
    }
}

using System.Reflection;
using System.Runtime.Loader;

namespace RealHistories;

/// <summary>
/// Holds one history's compiled migrations, unloaded once its SQL is generated. Every other assembly
/// (EF Core, Npgsql, the framework) comes from the default context, so the migrations and this program
/// share EF Core's types.
/// </summary>
internal sealed class HistoryLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) => null;
}

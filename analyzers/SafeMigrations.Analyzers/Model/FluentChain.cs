using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SafeMigrations.Analyzers.Model;

/// <summary>One call of a fluent chain: <c>.HasMaxLength(200)</c> is ("HasMaxLength", [], [200]).</summary>
internal sealed class FluentCall(SimpleNameSyntax method, IReadOnlyList<TypeSyntax> typeArguments, IReadOnlyList<ArgumentSyntax> arguments)
{
    public string Name { get; } = method.Identifier.ValueText;

    /// <summary>The method's name in the source: where a finding about this call is reported.</summary>
    public SimpleNameSyntax Method { get; } = method;

    public IReadOnlyList<TypeSyntax> TypeArguments { get; } = typeArguments;

    public IReadOnlyList<ArgumentSyntax> Arguments { get; } = arguments;

    public ExpressionSyntax? Argument(int index) => index < Arguments.Count ? Arguments[index].Expression : null;

    public string? StringArgument(int index) => FluentChain.StringOf(Argument(index));

    public int? IntArgument(int index) =>
        Argument(index) is LiteralExpressionSyntax { Token.Value: int value } ? value : null;

    /// <summary>IsRequired() and IsRequired(true) are true; IsRequired(false) is false.</summary>
    public bool BoolArgumentOrTrue(int index) => Argument(index) is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.FalseLiteralExpression);
}

/// <summary>
/// A fluent call chain read as syntax, innermost call first: <c>b.Property&lt;string&gt;("Title").IsRequired()</c>
/// has root <c>b</c> and calls Property, IsRequired. Model reading never binds: it must stay cheap and
/// must not throw on half-typed code.
/// </summary>
internal sealed class FluentChain(ExpressionSyntax root, IReadOnlyList<FluentCall> calls)
{
    public ExpressionSyntax Root { get; } = root;

    public IReadOnlyList<FluentCall> Calls { get; } = calls;

    /// <summary>The root's name when it is a plain identifier (a builder variable), else null.</summary>
    public string? RootIdentifier => (Root as IdentifierNameSyntax)?.Identifier.ValueText;

    public static FluentChain Of(ExpressionSyntax expression)
    {
        var calls = new List<FluentCall>();
        var current = expression;
        while (true)
        {
            if (current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } invocation)
            {
                calls.Add(Call(member.Name, invocation.ArgumentList));
                current = member.Expression;
            }
            else if (current is InvocationExpressionSyntax { Expression: SimpleNameSyntax name } bare)
            {
                calls.Add(Call(name, bare.ArgumentList));
                current = name;
                break;
            }
            else if (current is ParenthesizedExpressionSyntax parenthesized)
            {
                current = parenthesized.Expression;
            }
            else
            {
                break;
            }
        }

        calls.Reverse();
        return new FluentChain(current, calls);
    }

    public static string? StringOf(ExpressionSyntax? expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
        InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } nameOf
            when nameOf.ArgumentList.Arguments.Count == 1 => LastName(nameOf.ArgumentList.Arguments[0].Expression),
        _ => null,
    };

    /// <summary>The member a selector lambda names: <c>t =&gt; t.Title</c> is Title; <c>t =&gt; new { t.A, t.B }</c> is A and B.</summary>
    public static IReadOnlyList<string> SelectedMembers(ExpressionSyntax? expression)
    {
        var body = expression switch
        {
            SimpleLambdaExpressionSyntax simple => simple.ExpressionBody,
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ExpressionBody,
            _ => null,
        };
        return body switch
        {
            MemberAccessExpressionSyntax member => [member.Name.Identifier.ValueText],
            AnonymousObjectCreationExpressionSyntax anonymous => anonymous.Initializers.Select(i => LastName(i.Expression)).Where(n => n is not null).Select(n => n!).ToList(),
            _ => StringOf(expression) is { } name ? [name] : [],
        };
    }

    /// <summary>The names a call takes either as strings or as a selector: HasKey("Id"), HasKey(x =&gt; x.Id), HasForeignKey("A", "B").</summary>
    public static IReadOnlyList<string> NamesOf(FluentCall call) =>
        call.Arguments.SelectMany(a => SelectedMembers(a.Expression)).ToList();

    /// <summary>The simple name of a type as written: <c>Models.TodoItem</c> is TodoItem.</summary>
    public static string? SimpleTypeName(TypeSyntax? type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    private static string? LastName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        _ => null,
    };

    private static FluentCall Call(SimpleNameSyntax name, ArgumentListSyntax arguments) =>
        new(name,
            name is GenericNameSyntax generic ? generic.TypeArgumentList.Arguments.ToList() : [],
            arguments.Arguments.ToList());
}

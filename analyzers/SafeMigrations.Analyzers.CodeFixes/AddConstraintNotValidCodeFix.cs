using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Postgres;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Analyzers.CodeFixes;

/// <summary>
/// SM1013/SM1014: adds the foreign key or check constraint NOT VALID (no scan, a brief lock) and
/// validates it in a new migration that runs right after (SHARE UPDATE EXCLUSIVE: traffic goes on).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddConstraintNotValidCodeFix)), Shared]
public sealed class AddConstraintNotValidCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIds.ValidatedForeignKey, RuleIds.ValidatedCheckConstraint);

    // Each fix adds a migration of its own: batch merging of document edits cannot express that.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var site = await MigrationCallSite.FindAsync(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
            if (site is null || site.MethodName != "Up")
            {
                continue;
            }

            // Core writes the SQL only from names it knows: a fix offers nothing rather than guess one.
            var (notValid, constraint, table) = site.Operation(context.CancellationToken) switch
            {
                AddForeignKeyChange foreignKey => (ConstraintSql.AddNotValid(foreignKey), foreignKey.Name, foreignKey.TableName),
                AddCheckConstraintChange check => (ConstraintSql.AddNotValid(check), check.Name, check.TableName),
                _ => (null, null, default(TableName)),
            };
            if (notValid is null || constraint is null || ConstraintSql.Validate(table, constraint) is not { } validate)
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(
                $"Add \"{constraint}\" NOT VALID and validate it in the next migration",
                ct => ApplyAsync(site, notValid, validate, constraint, ct),
                equivalenceKey: nameof(AddConstraintNotValidCodeFix)), diagnostic);
        }
    }

    private static async Task<Solution> ApplyAsync(MigrationCallSite site, string notValid, string validate, string constraint, CancellationToken cancellationToken)
    {
        var builder = site.Call.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax member ? member.Expression.ToString() : "migrationBuilder";
        var replacement = SyntaxFactory.ParseStatement(builder + ".Sql(" + SyntaxFactory.Literal(notValid) + ");").WithTriviaFrom(site.Statement);
        var document = site.Document.WithSyntaxRoot(site.Root.ReplaceNode(site.Statement, replacement));
        var compilation = await site.Document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var className = NewMigrationFile.ClassName(compilation!, site.Symbol.Name + "Validate" + constraint);
        var id = NewMigrationFile.NextId(site.MigrationId, className);
        var up = "migrationBuilder.Sql(" + SyntaxFactory.Literal(validate) + ");";
        const string down = "// Nothing to undo: validating changes no structure, and the previous migration's Down drops the constraint.";
        return NewMigrationFile.Add(document, site.Symbol, site.Context, className, id, up, down);
    }
}

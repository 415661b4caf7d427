using System;
using System.Collections.Generic;
using SafeMigrations.Core.Model;
using SafeMigrations.Core.Rules;

namespace SafeMigrations.Core.Analysis;

/// <summary>
/// Turns a rule that throws into an SM0003 finding for the input it failed on. Front ends run inside
/// the compiler, the build and deployments: an exception there would lose every other finding.
/// </summary>
internal static class RuleFailure
{
    public static readonly RuleDescriptor Descriptor = new(
        RuleIds.RuleFailed, "An operation could not be judged", Severity.Warning, RuleCategory.Configuration,
        "Review the operation by hand; report the message (it names the rule and the input) so the rule can be fixed.");

    /// <summary>Runs <paramref name="judge"/> to the end, collecting its findings; an exception becomes one finding from <paramref name="onFailure"/>.</summary>
    public static void Guard(List<Finding> findings, Func<IEnumerable<Finding>> judge, Func<Exception, Finding> onFailure)
    {
        var collected = new List<Finding>();
        try
        {
            collected.AddRange(judge());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            collected.Clear();
            collected.Add(onFailure(e));
        }

        findings.AddRange(collected);
    }

    public static Finding Report(RuleDescriptor rule, MigrationContext context, SchemaChange? operation, Exception failure) =>
        context.CreateFinding(Descriptor, Message(rule, Describe(operation) ?? "migration " + context.Migration.Id, failure), operation);

    public static Finding Report(RuleDescriptor rule, ModelComparison comparison, Exception failure) =>
        new(RuleIds.RuleFailed, Descriptor.DefaultSeverity, Message(rule, "the model of " + comparison.Current.ContextName, failure), comparison.Current.ContextName, comparison.Current.ContextLocation);

    private static string Message(RuleDescriptor rule, string subject, Exception failure) =>
        $"{rule.Id} could not judge {subject} ({failure.GetType().Name}: {failure.Message}); that rule did not check it, the others did. Review it by hand and report this message.";

    private static string? Describe(SchemaChange? operation)
    {
        if (operation is null)
        {
            return null;
        }

        try
        {
            return operation.Describe();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return operation.GetType().Name;
        }
    }
}

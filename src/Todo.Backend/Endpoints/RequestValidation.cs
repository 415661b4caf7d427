using System.ComponentModel.DataAnnotations;

namespace Todo.Backend.Endpoints;

/// <summary>Runs the data-annotation checks of a request body and shapes failures as RFC 7807 problems.</summary>
internal static class RequestValidation
{
    public static IResult? Validate<T>(T? body) where T : class
    {
        if (body is null)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] });
        }

        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(body, new ValidationContext(body), results, validateAllProperties: true))
        {
            return null;
        }

        var errors = results
            .SelectMany(result => result.MemberNames.DefaultIfEmpty(string.Empty).Select(member => (member, message: result.ErrorMessage ?? "Invalid value.")))
            .GroupBy(error => ToCamelCase(error.member))
            .ToDictionary(group => group.Key, group => group.Select(error => error.message).ToArray());
        return Results.ValidationProblem(errors);
    }

    private static string ToCamelCase(string name) =>
        name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}

namespace Todo.Backend.Models;

/// <summary>0 is deliberately not a priority: an unset value lets the database default (Medium) apply.</summary>
public enum TodoPriority
{
    Low = 1,
    Medium = 2,
    High = 3,
}

using System.Collections.Generic;

namespace SafeMigrations.Core.Sql;

/// <summary>One statement of a SQL text: its source text (comments kept), its tokens (comments dropped), where it starts.</summary>
internal sealed record SqlStatement(string Text, IReadOnlyList<SqlToken> Tokens, int Index, int StartLine);

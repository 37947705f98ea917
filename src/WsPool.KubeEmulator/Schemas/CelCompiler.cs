using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel;
using static Cel.Internal.CelParser;

namespace WsPool.KubeEmulator.Schemas;

/// <summary>A compiled validation rule: the program, whether it reads oldSelf (a transition rule), or why it does not compile.</summary>
public sealed record CompiledRule(CelProgramDelegate? Program, bool UsesOldSelf, bool Evaluable, string? Error);

/// <summary>
/// Compiles x-kubernetes-validations rules as the API server does when a CRD is written: a syntax error, a reference to
/// an undeclared variable or function, a field the schema does not declare (<c>undefined field</c>), or a rule whose
/// result is statically not a bool is a compile error, reported with cel-go's text
/// (<c>compilation failed: ERROR: &lt;input&gt;:1:6: ...</c> with the source line and a caret). The static checks follow
/// the schema through <c>self</c>, field selections, indexes and comprehension variables; anything the schema does not
/// type (int-or-string, preserved unknown fields) is dynamic and checked at run time only.
/// </summary>
public static class CelCompiler
{
    private static readonly ConcurrentDictionary<(string Rule, string Schema), CompiledRule> Cache = new();

    /// <summary>Compiles a rule for the node <paramref name="schema"/>; messageExpression rules pass <paramref name="mustBeString"/>.</summary>
    public static CompiledRule Compile(string rule, JsonObject schema, bool mustBeString = false) =>
        Cache.GetOrAdd((rule + (mustBeString ? "\0s" : ""), schema.ToJsonString()), _ => CompileUncached(rule, schema, mustBeString));

    private static CompiledRule CompileUncached(string rule, JsonObject schema, bool mustBeString)
    {
        StartContext tree;
        try
        {
            tree = CelLibrary.Parse(rule);
        }
        catch (Exception e)
        {
            return new CompiledRule(null, false, false, "compilation failed: " + SyntaxError(rule, e.Message));
        }
        var syntax = new SyntaxErrors();
        var checker = new Checker(rule, schema);
        try
        {
            // Re-parse with an error listener to see what the package's own parser would only throw about.
            var parser = new Cel.Internal.CelParser(new CommonTokenStream(new Cel.Internal.CelLexer(new AntlrInputStream(rule))));
            parser.RemoveErrorListeners();
            parser.AddErrorListener(syntax);
            tree = parser.start();
        }
        catch (Exception)
        {
            // the listener has the message
        }
        if (syntax.First is { } first)
            return new CompiledRule(null, false, false, "compilation failed: " + Issue(rule, first.Line, first.Column, "Syntax error: " + first.Message));

        var type = checker.Visit(tree.e);
        if (checker.Issues.Count > 0)
            return new CompiledRule(null, checker.UsesOldSelf, false, "compilation failed: " + string.Join("\n", checker.Issues));
        if (!mustBeString && type is not (null or "bool" or "dyn"))
            return new CompiledRule(null, checker.UsesOldSelf, false, "cel expression must evaluate to a bool");
        if (mustBeString && type is not (null or "string" or "dyn"))
            return new CompiledRule(null, checker.UsesOldSelf, false, "must evaluate to a string");

        CelProgramDelegate program;
        try
        {
            program = CelLibrary.Compile(rule);
        }
        catch (Exception e)
        {
            return new CompiledRule(null, checker.UsesOldSelf, false, "compilation failed: " + SyntaxError(rule, e.Message));
        }
        return new CompiledRule(program, checker.UsesOldSelf, checker.Unsupported.Count == 0, null);
    }

    /// <summary>cel-go's issue text: <c>ERROR: &lt;input&gt;:line:col: message</c>, the source line and a caret under the column.</summary>
    private static string Issue(string source, int line, int column, string message)
    {
        var lines = source.Split('\n');
        var text = line - 1 < lines.Length ? lines[line - 1] : "";
        var caret = new StringBuilder();
        for (var i = 0; i < column && i < text.Length; i++) caret.Append(text[i] == '\t' ? '\t' : '.');
        return $"ERROR: <input>:{line}:{column + 1}: {message}\n | {text}\n | {caret}^";
    }

    private static string SyntaxError(string source, string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Line (\d+):(\d+) (.*)$", System.Text.RegularExpressions.RegexOptions.Singleline);
        return m.Success
            ? Issue(source, int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), "Syntax error: " + m.Groups[3].Value)
            : Issue(source, 1, 0, "Syntax error: " + message);
    }

    private sealed class SyntaxErrors : BaseErrorListener
    {
        public (int Line, int Column, string Message)? First { get; private set; }

        public override void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line,
            int charPositionInLine, string msg, RecognitionException e) =>
            First ??= (line, charPositionInLine, msg);
    }

    /// <summary>
    /// A small type checker over the parse tree. Types are the schema nodes of values where known ("schema"), or CEL
    /// type names: bool, int, uint, double, string, bytes, list, map, null, dyn.
    /// </summary>
    private sealed class Checker(string source, JsonObject self)
    {
        private readonly Dictionary<string, JsonObject?> _variables = new();
        public List<string> Issues { get; } = [];
        public HashSet<string> Unsupported { get; } = [];
        public bool UsesOldSelf { get; private set; }

        private readonly Dictionary<IParseTree, JsonObject> _schemas = new();

        private void Issue(IToken at, string message)
        {
            if (Issues.Count == 0) Issues.Add(CelCompiler.Issue(source, at.Line, at.Column, message));
        }

        public string? Visit(IParseTree? node)
        {
            switch (node)
            {
                case null: return null;
                case ExprContext e when e.e1 is not null:
                    Visit(e.e);
                    var a = Visit(e.e1);
                    var b = Visit(e.e2);
                    return a == b ? a : "dyn";
                case ExprContext e: return Visit(e.e);
                case ConditionalOrContext c when c._e1.Count > 0:
                    Visit(c.e);
                    foreach (var x in c._e1) Visit(x);
                    return "bool";
                case ConditionalOrContext c: return Visit(c.e);
                case ConditionalAndContext c when c._e1.Count > 0:
                    Visit(c.e);
                    foreach (var x in c._e1) Visit(x);
                    return "bool";
                case ConditionalAndContext c: return Visit(c.e);
                case RelationContext r when r.op is not null:
                    foreach (var child in r.relation()) Visit(child);
                    return "bool";
                case RelationContext r: return Visit(r.calc());
                case CalcContext c when c.op is not null:
                {
                    var types = c.calc().Select(Visit).ToList();
                    if (c.op.Text == "+" && types.All(t => t is "string")) return "string";
                    if (types.All(t => t is "int")) return "int";
                    if (types.All(t => t is "double")) return "double";
                    if (types.All(t => t is "list")) return "list";
                    return "dyn";
                }
                case CalcContext c: return Visit(c.unary());
                case MemberExprContext m: return Visit(m.member());
                case LogicalNotContext n:
                    Visit(n.member());
                    return "bool";
                case NegateContext n: return Visit(n.member());
                case PrimaryExprContext p: return Pass(p, p.primary());
                case NestedContext n: return Pass(n, n.e);
                case ConstantLiteralContext l: return Literal(l.literal());
                case CreateListContext l:
                    if (l.elems is not null) foreach (var x in l.elems._elems) Visit(x.e);
                    return "list";
                case CreateStructContext s:
                    if (s.entries is not null)
                    {
                        foreach (var k in s.entries._keys) Visit(k.e);
                        foreach (var v in s.entries._values) Visit(v);
                    }
                    return "map";
                case CreateMessageContext m:
                    if (m.entries is not null) foreach (var v in m.entries._values) Visit(v);
                    return "dyn";
                case IdentOrGlobalCallContext i: return Ident(i);
                case SelectContext s: return Select(s);
                case MemberCallContext m: return MemberCall(m);
                case IndexContext ix: return Index(ix);
                default:
                    foreach (var child in Children(node)) Visit(child);
                    return "dyn";
            }
        }

        /// <summary>A node that only wraps another has the same schema.</summary>
        private string? Pass(IParseTree node, IParseTree inner)
        {
            var type = Visit(inner);
            if (Unwrap(inner) is { } found && _schemas.TryGetValue(found, out var schema)) _schemas[node] = schema;
            return type;
        }

        private IParseTree? Unwrap(IParseTree node)
        {
            while (!_schemas.ContainsKey(node) && node.ChildCount == 1) node = node.GetChild(0);
            return _schemas.ContainsKey(node) ? node : null;
        }

        private static IEnumerable<IParseTree> Children(IParseTree node)
        {
            for (var i = 0; i < node.ChildCount; i++) yield return node.GetChild(i);
        }

        private static string Literal(LiteralContext l) => l switch
        {
            IntContext => "int",
            UintContext => "uint",
            DoubleContext => "double",
            StringContext => "string",
            BytesContext => "bytes",
            BoolTrueContext or BoolFalseContext => "bool",
            NullContext => "null",
            _ => "dyn",
        };

        private string? Ident(IdentOrGlobalCallContext i)
        {
            var name = i.id.Text;
            if (i.op is null)
            {
                if (name == "self") return Typed(i, self);
                if (name == "oldSelf")
                {
                    UsesOldSelf = true;
                    return Typed(i, self);
                }
                if (_variables.TryGetValue(name, out var varSchema)) return varSchema is null ? "dyn" : Typed(i, varSchema);
                if (CelLibrary.TypeNames.Contains(name) || CelLibrary.Namespaces.Contains(name)) return "dyn";
                Issue(i.id, $"undeclared reference to '{name}' (in container '')");
                return "dyn";
            }
            var args = i.args?._e ?? [];
            if (name == "has")
            {
                if (args.Count != 1 || !IsSelect(args[0])) Issue(i.id, "invalid argument to has() macro");
                else Visit(args[0]);
                return "bool";
            }
            if (!CelLibrary.KubernetesFunctions.Contains(name))
            {
                Issue(i.id, $"undeclared reference to '{name}' (in container '')");
                return "dyn";
            }
            if (!CelLibrary.Evaluable(name)) Unsupported.Add(name);
            foreach (var a in args) Visit(a);
            return name switch
            {
                "size" or "int" => "int",
                "string" => "string",
                "double" => "double",
                "bool" or "matches" => "bool",
                _ => "dyn",
            };
        }

        /// <summary>has() takes a field selection: <c>has(self.a.b)</c>.</summary>
        private static bool IsSelect(ExprContext e) =>
            System.Text.RegularExpressions.Regex.IsMatch(e.GetText(), @"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])*)*\.[A-Za-z_][A-Za-z0-9_]*$");

        private string? Typed(IParseTree node, JsonObject schema)
        {
            _schemas[node] = schema;
            return TypeOf(schema);
        }

        private static string TypeOf(JsonObject s)
        {
            if (s.IntOrString()) return "dyn";
            return s.Type() switch
            {
                "object" => "map",
                "array" => "list",
                "string" => "string",
                "integer" => "int",
                "number" => "double",
                "boolean" => "bool",
                _ => "dyn",
            };
        }

        private string? Select(SelectContext s)
        {
            Visit(s.member());
            var name = s.id.Text;
            if (!_schemas.TryGetValue(s.member(), out var parent)) return "dyn";
            if (parent.Property(name) is { } prop) return Typed(s, prop);
            if (parent.AdditionalProperties() is { } values) return Typed(s, values);
            if (parent.PreservesUnknownFields() || parent.IntOrString() || parent.Type() is not "object" || parent.EmbeddedResource()) return "dyn";
            if (IsResourceMetaField(parent, name)) return "dyn";
            Issue(s.op, $"undefined field '{name}'");
            return "dyn";
        }

        /// <summary>At the resource root self also has apiVersion, kind and metadata (name, generateName).</summary>
        private bool IsResourceMetaField(JsonObject parent, string name) =>
            ReferenceEquals(parent, self) && name is "apiVersion" or "kind" or "metadata";

        private string? Index(IndexContext ix)
        {
            Visit(ix.member());
            Visit(ix.index);
            if (!_schemas.TryGetValue(ix.member(), out var parent)) return "dyn";
            if (parent.Items() is { } items) return Typed(ix, items);
            if (parent.AdditionalProperties() is { } values) return Typed(ix, values);
            return "dyn";
        }

        private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];

        private string? MemberCall(MemberCallContext m)
        {
            var name = m.id.Text;
            var args = m.args?._e ?? [];
            var target = m.member();
            if (Macros.Contains(name) && args.Count is 2 or 3 && IsIdent(args[0], out var variable))
            {
                Visit(target);
                _schemas.TryGetValue(target, out var collection);
                // a list binds its items, a map its keys (strings)
                JsonObject? bound = collection?.Items();
                var saved = _variables.TryGetValue(variable, out var previous);
                _variables[variable] = bound;
                if (args.Count == 3 && IsIdent(args[1], out var second))
                {
                    _variables[variable] = null;
                    _variables[second] = bound ?? collection?.AdditionalProperties();
                }
                foreach (var a in args.Skip(args.Count == 3 && IsIdent(args[1], out _) ? 2 : 1)) Visit(a);
                if (saved) _variables[variable] = previous; else _variables.Remove(variable);
                return name is "map" or "filter" ? "list" : "bool";
            }
            if (CelLibrary.Namespaces.Contains(TargetIdent(target) ?? ""))
            {
                foreach (var a in args) Visit(a);
                if (!CelLibrary.Evaluable(name)) Unsupported.Add(name);
                return "dyn";
            }
            Visit(target);
            foreach (var a in args) Visit(a);
            if (!CelLibrary.KubernetesFunctions.Contains(name))
            {
                Issue(m.id, $"undeclared reference to '{name}' (in container '')");
                return "dyn";
            }
            if (!CelLibrary.Evaluable(name)) Unsupported.Add(name);
            return name switch
            {
                "size" or "indexOf" or "lastIndexOf" => "int",
                "startsWith" or "endsWith" or "contains" or "matches" or "isSorted" => "bool",
                "lowerAscii" or "upperAscii" or "trim" or "replace" or "substring" or "charAt" or "join" => "string",
                _ => "dyn",
            };
        }

        private static string? TargetIdent(MemberContext target) =>
            target is PrimaryExprContext { } p && p.primary() is IdentOrGlobalCallContext { op: null } id ? id.id.Text : null;

        private static bool IsIdent(ExprContext e, out string name)
        {
            name = e.GetText();
            return System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$");
        }
    }
}

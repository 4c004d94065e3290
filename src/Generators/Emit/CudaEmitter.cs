using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NativeAttention.Generators.Analysis;
using NativeAttention.Generators.Model;

namespace NativeAttention.Generators.Emit;

/// <summary>
/// Translates a checked spec into header-free CUDA C++: the capture struct, the two mod functions and the helpers
/// they call, with <c>#line</c> directives naming the spec's C# file (its file name alone). C# semantics are kept
/// where C++ differs: float products use <c>__fmul_rn</c> (no FMA contraction), shift counts are masked to 31, float
/// remainder is <c>fmodf</c>, implicit int-to-float conversions are explicit, and C# Math.Round (to even) is
/// <c>rintf</c>. Float division (<c>div.full.f32</c>, within 2 ulp) and MathF.Tanh (<c>tanh.approx.f32</c>, relative
/// error about 2^-11) use the hardware approximations, as the kernels' exp2 does: the exact forms cost a dozen or more
/// instructions per score, and the precise tanhf's registers pushed a soft-cap kernel off its two-tile layout.
/// A span read whose index the host does not prove in range (<see cref="ProvenSpanIndex"/>) goes through a checked
/// read: out of range it yields 0 and records the first such read in the fault word that <c>na_captures</c> then
/// points to, as <c>(capture ordinal + 1) &lt;&lt; 32 | (uint)index</c>, for the host to report as the CPU path's
/// IndexOutOfRangeException would.
/// </summary>
internal sealed class CudaEmitter
{
    private const string CapturesParameter = "na_c";
    private const string FaultField = "na_fault";

    private readonly string _helperPrefix;
    private readonly string _lineFileName;
    private readonly Dictionary<string, CaptureModel> _captures;
    private readonly Dictionary<string, int> _captureOrdinals;
    private readonly SortedSet<string> _mathHelpers = new(System.StringComparer.Ordinal);
    private readonly SortedSet<string> _checkedReadTypes = new(System.StringComparer.Ordinal);
    private readonly int _capturesEnd;

    public CudaEmitter(string specName, string sourcePath, IEnumerable<CaptureModel> captures)
    {
        _helperPrefix = "na_" + CudaNames.Mangle(specName).TrimEnd('_') + "_";
        _lineFileName = LineFileName(sourcePath);
        List<CaptureModel> ordered = captures.ToList();
        _captures = ordered.ToDictionary(c => c.Name);
        _captureOrdinals = ordered.Select((c, ordinal) => (c.Name, ordinal)).ToDictionary(p => p.Name, p => p.ordinal);
        CaptureModel? last = ordered.LastOrDefault();
        _capturesEnd = last is null ? 0 : (last.IsSpan ? last.LengthOffset : last.Offset) + 4;
    }

    /// <summary>
    /// Gets the byte offset of the fault word pointer in <c>na_captures</c> after <see cref="Emit"/>, or -1 when every span
    /// read is proven in range and the struct has no such field.
    /// </summary>
    public int CaptureFaultOffset => _checkedReadTypes.Count == 0 ? -1 : (_capturesEnd + 7) / 8 * 8;

    public string Emit(string fullName, SpecMethod? score, bool hasScoreMod, SpecMethod? mask, IReadOnlyList<SpecMethod> helpers, IReadOnlyList<CaptureModel> captures)
    {
        var functions = new StringBuilder();
        foreach (SpecMethod helper in helpers)
        {
            functions.Append("__device__ __forceinline__ ").Append(Signature(helper)).Append(";\n");
        }

        foreach (SpecMethod helper in helpers)
        {
            EmitFunction(functions, helper, Signature(helper));
        }

        const string ScoreSignature = "float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& " + CapturesParameter + ")";
        const string MaskSignature = "bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& " + CapturesParameter + ")";
        if (score is not null && hasScoreMod)
        {
            EmitFunction(functions, score, ModSignature(score, "float", "na_score_mod"));
        }
        else
        {
            functions.Append("__device__ __forceinline__ ").Append(ScoreSignature).Append("\n{\n    return score;\n}\n");
        }

        if (mask is not null)
        {
            EmitFunction(functions, mask, ModSignature(mask, "bool", "na_mask_mod"));
        }
        else
        {
            functions.Append("__device__ __forceinline__ ").Append(MaskSignature).Append("\n{\n    return true;\n}\n");
        }

        var source = new StringBuilder();
        source.Append("// NativeAttention mods generated from ").Append(fullName).Append(". Do not edit.\n");
        source.Append("#define NA_HAS_SCORE_MOD ").Append(hasScoreMod ? 1 : 0).Append('\n');
        source.Append("#define NA_HAS_MASK_MOD ").Append(mask is not null ? 1 : 0).Append('\n');
        source.Append("struct na_captures\n{\n");
        if (captures.Count == 0)
        {
            source.Append("    int na_unused;\n");
        }

        foreach (CaptureModel capture in captures)
        {
            source.Append(capture.IsSpan
                ? $"    const {capture.ElementType}* {capture.CudaName};\n    int {capture.CudaName}_length;\n"
                : $"    {capture.ElementType} {capture.CudaName};\n");
        }

        if (_checkedReadTypes.Count > 0)
        {
            source.Append("    unsigned long long* ").Append(FaultField).Append(";\n");
        }

        source.Append("};\n");
        foreach (string helper in _mathHelpers)
        {
            source.Append(MathHelperSource(helper));
        }

        foreach (string elementType in _checkedReadTypes)
        {
            source.Append(CheckedReadSource(elementType));
        }

        source.Append(functions);
        return source.ToString();
    }

    // The CudaSource is part of every kernel cache key and ships inside the assembly, so it must not depend on where
    // the project was checked out: the file name alone keeps NVRTC's "Alibi.cs(14): error" pointing at the spec and,
    // unlike a project-relative path, needs no build property, so the IDE, the command line and a bare Roslyn driver
    // agree. Both separators are split on because a Windows path reaches a generator running on Linux verbatim.
    private static string LineFileName(string sourcePath)
    {
        string fileName = sourcePath.Substring(sourcePath.LastIndexOfAny(['/', '\\']) + 1);
        return fileName.Replace("\"", "\\\"");
    }

    private string Signature(SpecMethod helper)
        => $"{TypeName(helper.Symbol.ReturnType)} {HelperName(helper.Symbol)}({string.Join(", ", helper.Symbol.Parameters.Select(p => TypeName(p.Type) + " " + CudaNames.Mangle(p.Name)))})";

    private static string ModSignature(SpecMethod mod, string returnType, string name)
    {
        IEnumerable<string> indices = mod.Symbol.Parameters.Take(mod.FirstCapture).Select(p => TypeName(p.Type) + " " + CudaNames.Mangle(p.Name));
        return $"{returnType} {name}({string.Join(", ", indices)}, const na_captures& {CapturesParameter})";
    }

    private string HelperName(IMethodSymbol method) => _helperPrefix + CudaNames.Mangle(method.Name);

    private void EmitFunction(StringBuilder output, SpecMethod method, string signature)
    {
        var body = new FunctionBody(this, method, output);
        body.Line(method.Syntax.Identifier);
        output.Append("__device__ __forceinline__ ").Append(signature).Append("\n{\n");
        if (method.Syntax.ExpressionBody is { } arrow)
        {
            body.Line(arrow.Expression);
            output.Append("    return ").Append(body.Expression(arrow.Expression)).Append(";\n");
        }
        else if (method.Syntax.Body is { } block)
        {
            foreach (StatementSyntax statement in block.Statements)
            {
                body.Statement(statement, 1);
            }
        }

        output.Append("}\n");
    }

    private static string TypeName(ITypeSymbol type)
        => SpecTypes.IsFloat(type) ? "float" : SpecTypes.IsInt(type) ? "int" : "bool";

    private static string MathHelperSource(string name) => name switch
    {
        "na_math_clampf" => "__device__ __forceinline__ float na_math_clampf(float value, float lo, float hi)\n{\n    return value < lo ? lo : (value > hi ? hi : value);\n}\n",
        "na_math_clamp" => "__device__ __forceinline__ int na_math_clamp(int value, int lo, int hi)\n{\n    return value < lo ? lo : (value > hi ? hi : value);\n}\n",
        "na_math_signf" => "__device__ __forceinline__ int na_math_signf(float value)\n{\n    return (value > 0.0f) - (value < 0.0f);\n}\n",
        "na_math_sign" => "__device__ __forceinline__ int na_math_sign(int value)\n{\n    return (value > 0) - (value < 0);\n}\n",
        "na_math_fdiv" => "__device__ __forceinline__ float na_math_fdiv(float a, float b)\n{\n    float y;\n    asm(\"div.full.f32 %0, %1, %2;\" : \"=f\"(y) : \"f\"(a), \"f\"(b));\n    return y;\n}\n",
        "na_math_tanhf" => "__device__ __forceinline__ float na_math_tanhf(float x)\n{\n    float y;\n    asm(\"tanh.approx.f32 %0, %1;\" : \"=f\"(y) : \"f\"(x));\n    return y;\n}\n",
        _ => throw new System.ArgumentOutOfRangeException(nameof(name), name, "Unknown math helper."),
    };

    private static string CheckedReadName(string elementType) => "na_span_read_" + elementType;

    // Out of range: no access, 0, and the first fault of the context kept (the CAS only wins on a clear word; the plain
    // read first keeps a flood of faulting threads from queueing atomics on host memory).
    private static string CheckedReadSource(string elementType)
        => $"__device__ __forceinline__ {elementType} {CheckedReadName(elementType)}(const {elementType}* data, int length, int index, unsigned long long* fault, unsigned int capture)\n{{\n"
            + "    if ((unsigned int)index < (unsigned int)length)\n    {\n        return data[index];\n    }\n"
            + "    if (*(volatile unsigned long long*)fault == 0ull)\n    {\n"
            + "        atomicCAS(fault, 0ull, ((unsigned long long)capture << 32) | (unsigned int)index);\n    }\n"
            + $"    return {(elementType == "float" ? "0.0f" : "0")};\n}}\n";

    /// <summary>Emits one function body; holds the C# symbol to CUDA name map of its parameters and locals.</summary>
    private sealed class FunctionBody
    {
        private readonly CudaEmitter _owner;
        private readonly SpecMethod _method;
        private readonly StringBuilder _output;
        private readonly Dictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);

        public FunctionBody(CudaEmitter owner, SpecMethod method, StringBuilder output)
        {
            _owner = owner;
            _method = method;
            _output = output;
            foreach (IParameterSymbol parameter in method.Symbol.Parameters)
            {
                _names[parameter] = method.IsCapture(parameter)
                    ? CapturesParameter + "." + owner._captures[parameter.Name].CudaName
                    : CudaNames.Mangle(parameter.Name);
            }
        }

        private SemanticModel Model => _method.Model;

        public void Line(SyntaxNodeOrToken node)
        {
            int line = node.GetLocation()!.GetLineSpan().StartLinePosition.Line + 1;
            _output.Append("#line ").Append(line).Append(" \"").Append(_owner._lineFileName).Append("\"\n");
        }

        public void Statement(StatementSyntax statement, int depth)
        {
            string indent = new(' ', 4 * depth);
            switch (statement)
            {
                case BlockSyntax block:
                    _output.Append(indent).Append("{\n");
                    foreach (StatementSyntax inner in block.Statements)
                    {
                        Statement(inner, depth + 1);
                    }

                    _output.Append(indent).Append("}\n");
                    return;
                case EmptyStatementSyntax:
                    return;
            }

            Line(statement);
            switch (statement)
            {
                case LocalDeclarationStatementSyntax declaration:
                    foreach (VariableDeclaratorSyntax variable in declaration.Declaration.Variables)
                    {
                        var local = (ILocalSymbol)Model.GetDeclaredSymbol(variable)!;
                        string name = CudaNames.Mangle(local.Name);
                        _names[local] = name;
                        _output.Append(indent).Append(local.IsConst ? "const " : string.Empty).Append(TypeName(local.Type)).Append(' ').Append(name);
                        if (variable.Initializer is { } initializer)
                        {
                            _output.Append(" = ").Append(Expression(initializer.Value));
                        }

                        _output.Append(";\n");
                    }

                    return;
                case ReturnStatementSyntax ret:
                    _output.Append(indent).Append("return ").Append(Expression(ret.Expression!)).Append(";\n");
                    return;
                case IfStatementSyntax ifStatement:
                    _output.Append(indent).Append("if (").Append(Expression(ifStatement.Condition)).Append(")\n");
                    Branch(ifStatement.Statement, depth);
                    if (ifStatement.Else is { } elseClause)
                    {
                        _output.Append(indent).Append("else\n");
                        Branch(elseClause.Statement, depth);
                    }

                    return;
                case ExpressionStatementSyntax expressionStatement:
                    _output.Append(indent).Append(Assignment(expressionStatement.Expression)).Append(";\n");
                    return;
                default:
                    throw new System.InvalidOperationException("The checker admitted an untranslatable statement: " + statement.Kind());
            }
        }

        public string Expression(ExpressionSyntax expression)
        {
            string code = Raw(expression);
            TypeInfo info = Model.GetTypeInfo(expression);
            return SpecTypes.IsInt(info.Type) && SpecTypes.IsFloat(info.ConvertedType) ? $"((float){code})" : code;
        }

        private void Branch(StatementSyntax statement, int depth)
        {
            if (statement is BlockSyntax)
            {
                Statement(statement, depth);
                return;
            }

            string indent = new(' ', 4 * depth);
            _output.Append(indent).Append("{\n");
            Statement(statement, depth + 1);
            _output.Append(indent).Append("}\n");
        }

        private string Assignment(ExpressionSyntax expression)
        {
            switch (expression)
            {
                case AssignmentExpressionSyntax assignment:
                    ISymbol target = Model.GetSymbolInfo(assignment.Left).Symbol!;
                    string name = _names[target];
                    if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                    {
                        return $"{name} = {Expression(assignment.Right)}";
                    }

                    ITypeSymbol targetType = TargetType(target);
                    ITypeSymbol rightType = Model.GetTypeInfo(assignment.Right).Type!;
                    bool floatOperation = SpecTypes.IsFloat(targetType) || SpecTypes.IsFloat(rightType);
                    string left = floatOperation && SpecTypes.IsInt(targetType) ? $"((float){name})" : name;
                    string right = Raw(assignment.Right);
                    right = floatOperation && SpecTypes.IsInt(rightType) ? $"((float){right})" : right;
                    string operation = Operation(CompoundAssignments.ToBinary(assignment.Kind()), floatOperation ? "float" : TypeName(targetType), left, right);
                    return $"{name} = ({TypeName(targetType)})({operation})";
                case PrefixUnaryExpressionSyntax prefix:
                    return Step(prefix.Operand, prefix.IsKind(SyntaxKind.PreIncrementExpression));
                case PostfixUnaryExpressionSyntax postfix:
                    return Step(postfix.Operand, postfix.IsKind(SyntaxKind.PostIncrementExpression));
                default:
                    throw new System.InvalidOperationException("The checker admitted an untranslatable statement expression: " + expression.Kind());
            }
        }

        private string Step(ExpressionSyntax operand, bool increment)
        {
            ISymbol target = Model.GetSymbolInfo(operand).Symbol!;
            string name = _names[target];
            string one = SpecTypes.IsFloat(TargetType(target)) ? "1.0f" : "1";
            return $"{name} = {name} {(increment ? '+' : '-')} {one}";
        }

        private static ITypeSymbol TargetType(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => throw new System.InvalidOperationException("Assignment target must be a local or parameter."),
        };

        private string Raw(ExpressionSyntax expression)
        {
            Optional<object?> constant = Model.GetConstantValue(expression);
            if (constant.HasValue)
            {
                switch (constant.Value)
                {
                    case float f:
                        return Literals.CudaFloat(f);
                    case int i:
                        return Literals.CudaInt(i);
                    case bool b:
                        return Literals.Bool(b);
                }
            }

            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    // Every emitted operation carries its own parentheses; conversions apply at the outer level.
                    return Raw(parenthesized.Expression);
                case IdentifierNameSyntax identifier:
                    return _names[Model.GetSymbolInfo(identifier).Symbol!];
                case MemberAccessExpressionSyntax member:
                    return _names[Model.GetSymbolInfo(member.Expression).Symbol!] + "_length";
                case ElementAccessExpressionSyntax element:
                    return ElementAccess(element);
                case BinaryExpressionSyntax binary:
                    ITypeSymbol operandType = Model.GetTypeInfo(binary.Left).ConvertedType!;
                    return Operation(binary.Kind(), TypeName(operandType), Expression(binary.Left), Expression(binary.Right));
                case PrefixUnaryExpressionSyntax unary:
                    return "(" + unary.OperatorToken.Text + Expression(unary.Operand) + ")";
                case ConditionalExpressionSyntax conditional:
                    return $"({Expression(conditional.Condition)} ? {Expression(conditional.WhenTrue)} : {Expression(conditional.WhenFalse)})";
                case CastExpressionSyntax cast:
                    return $"(({TypeName(Model.GetTypeInfo(cast.Type).Type!)})({Expression(cast.Expression)}))";
                case InvocationExpressionSyntax invocation:
                    var method = (IMethodSymbol)Model.GetSymbolInfo(invocation).Symbol!;
                    string callee;
                    if (MathFunctions.IsMathType(method.ContainingType))
                    {
                        callee = MathFunctions.CudaName(method);
                        if (callee.StartsWith("na_math_", System.StringComparison.Ordinal))
                        {
                            _owner._mathHelpers.Add(callee);
                        }
                    }
                    else
                    {
                        callee = _owner.HelperName(method);
                    }

                    return callee + "(" + string.Join(", ", invocation.ArgumentList.Arguments.Select(a => Expression(a.Expression))) + ")";
                default:
                    throw new System.InvalidOperationException("The checker admitted an untranslatable expression: " + expression.Kind());
            }
        }

        private string ElementAccess(ElementAccessExpressionSyntax element)
        {
            ISymbol span = Model.GetSymbolInfo(element.Expression).Symbol!;
            string name = _names[span];
            string index = Expression(element.ArgumentList.Arguments[0].Expression);
            if (ProvenSpanIndex.IsProven(_method, element))
            {
                return name + "[" + index + "]";
            }

            string elementType = _owner._captures[span.Name].ElementType;
            _owner._checkedReadTypes.Add(elementType);
            int tag = _owner._captureOrdinals[span.Name] + 1;
            return $"{CheckedReadName(elementType)}({name}, {name}_length, {index}, {CapturesParameter}.{FaultField}, {tag}u)";
        }

        private string Operation(SyntaxKind kind, string operandType, string left, string right)
        {
            bool isFloat = operandType == "float";
            if (isFloat && kind == SyntaxKind.DivideExpression)
            {
                _owner._mathHelpers.Add("na_math_fdiv");
            }

            return kind switch
            {
                SyntaxKind.MultiplyExpression when isFloat => $"__fmul_rn({left}, {right})",
                SyntaxKind.DivideExpression when isFloat => $"na_math_fdiv({left}, {right})",
                SyntaxKind.ModuloExpression when isFloat => $"fmodf({left}, {right})",
                SyntaxKind.LeftShiftExpression => $"({left} << ({right} & 31))",
                SyntaxKind.RightShiftExpression => $"({left} >> ({right} & 31))",
                SyntaxKind.UnsignedRightShiftExpression => $"((int)((unsigned int)({left}) >> ({right} & 31)))",
                _ => $"({left} {OperatorText(kind)} {right})",
            };
        }

        private static string OperatorText(SyntaxKind kind) => kind switch
        {
            SyntaxKind.AddExpression => "+",
            SyntaxKind.SubtractExpression => "-",
            SyntaxKind.MultiplyExpression => "*",
            SyntaxKind.DivideExpression => "/",
            SyntaxKind.ModuloExpression => "%",
            SyntaxKind.LogicalAndExpression => "&&",
            SyntaxKind.LogicalOrExpression => "||",
            SyntaxKind.BitwiseAndExpression => "&",
            SyntaxKind.BitwiseOrExpression => "|",
            SyntaxKind.ExclusiveOrExpression => "^",
            SyntaxKind.EqualsExpression => "==",
            SyntaxKind.NotEqualsExpression => "!=",
            SyntaxKind.LessThanExpression => "<",
            SyntaxKind.LessThanOrEqualExpression => "<=",
            SyntaxKind.GreaterThanExpression => ">",
            SyntaxKind.GreaterThanOrEqualExpression => ">=",
            _ => throw new System.InvalidOperationException("Unsupported operator " + kind),
        };
    }
}

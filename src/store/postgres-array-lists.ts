// PostgreSQL: `column in ($1, $2, …)` is sent as `column = any($1)` with the list as one array
// parameter, so a statement's text no longer depends on how many values the list has and the
// connection can keep it prepared (prepare-repeated-statements.ts).
import {
  BinaryOperationNode, FunctionNode, OperationNodeTransformer, OperatorNode, PrimitiveValueListNode, ValueNode,
  type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow,
} from 'kysely';

class InListToAnyTransformer extends OperationNodeTransformer {
  protected override transformBinaryOperation(node: BinaryOperationNode): BinaryOperationNode {
    const transformed = super.transformBinaryOperation(node);
    if (!OperatorNode.is(transformed.operator) || !PrimitiveValueListNode.is(transformed.rightOperand)) return transformed;
    const values = transformed.rightOperand.values;
    // `x in (…)` is `x = any(…)`, `x not in (…)` is `x <> all(…)`, for NULLs among the values too.
    if (transformed.operator.operator === 'in') {
      return BinaryOperationNode.create(transformed.leftOperand, OperatorNode.create('='), FunctionNode.create('any', [ValueNode.create([...values])]));
    }
    if (transformed.operator.operator === 'not in') {
      return BinaryOperationNode.create(transformed.leftOperand, OperatorNode.create('<>'), FunctionNode.create('all', [ValueNode.create([...values])]));
    }
    return transformed;
  }
}

export class PostgresArrayListsPlugin implements KyselyPlugin {
  readonly #transformer = new InListToAnyTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

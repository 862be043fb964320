import styles from './NamingRulesScreen.module.css';

interface RuleProblemProps {
  readonly id: string;
  readonly rule: string;
  /** 1-based character where the rule goes wrong. */
  readonly position: number;
  readonly reason: string;
}

/** Why a rule does not parse, with the rule shown and the character where it goes wrong marked. */
export function RuleProblem({ id, rule, position, reason }: RuleProblemProps) {
  const at = Math.min(Math.max(position - 1, 0), rule.length);
  return (
    <p id={id} className={styles.ruleProblem}>
      <span>
        At character {position}: {reason}.
      </span>
      {rule !== '' && (
        <code className={styles.marked} aria-hidden>
          {rule.slice(0, at)}
          <mark>{rule.slice(at, at + 1) || ' '}</mark>
          {rule.slice(at + 1)}
        </code>
      )}
    </p>
  );
}

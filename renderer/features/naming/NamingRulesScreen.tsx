import { Placeholder } from '../Placeholder.js';

export function NamingRulesScreen() {
  return <Placeholder title="Naming rules" coming="Type a rule and see which record each of a partner's files would be attached to." />;
}

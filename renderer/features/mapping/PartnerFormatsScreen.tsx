import { Placeholder } from '../Placeholder.js';

export function PartnerFormatsScreen() {
  return <Placeholder title="Partner formats" coming="A partner's columns beside Ferry's fields, with a real sample file before and after conversion." />;
}

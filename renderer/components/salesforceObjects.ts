import { Building2, Contact, Crown, FileText, Headset, Megaphone, Package, ShoppingCart, UserPlus, type LucideIcon } from 'lucide-react';

export interface ObjectLook {
  readonly label: string;
  /** The object's icon tile colour in Lightning (SLDS 2.264.1), so coordinators recognise it at a glance. */
  readonly color: string;
  readonly icon: LucideIcon;
}

const LOOKS: Readonly<Record<string, ObjectLook>> = {
  Account: { label: 'Account', color: '#5867e8', icon: Building2 },
  Opportunity: { label: 'Opportunity', color: '#ff5d2d', icon: Crown },
  Case: { label: 'Case', color: '#ff538a', icon: Headset },
  Order: { label: 'Order', color: '#1b96ff', icon: ShoppingCart },
  Product2: { label: 'Product', color: '#9050e9', icon: Package },
  Campaign: { label: 'Campaign', color: '#9050e9', icon: Megaphone },
  Quote: { label: 'Quote', color: '#3ba755', icon: FileText },
  Contact: { label: 'Contact', color: '#a094ed', icon: Contact },
  Lead: { label: 'Lead', color: '#f88962', icon: UserPlus },
};

/** The objects Ferry knows a look for: those it attaches files to. */
export const KNOWN_OBJECTS: ReadonlyArray<string> = Object.keys(LOOKS);

/** How an object's records look; an object Ferry has no look for gets its own name on a neutral tile. */
export function objectLook(apiName: string): ObjectLook {
  return LOOKS[apiName] ?? { label: apiName, color: '#706e6b', icon: FileText };
}

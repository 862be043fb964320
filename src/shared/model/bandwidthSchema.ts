import { z } from 'zod';
import { readBandwidth } from './bandwidthText.js';

/** A bandwidth limit as written in a file or a request: checked with the one parser, its problem as the message. */
export const bandwidthText = z
  .string()
  .max(1000)
  .superRefine((text, ctx) => {
    const reading = readBandwidth(text);
    if (!reading.ok) ctx.addIssue({ code: 'custom', message: reading.problem });
  })
  .describe(
    'A bandwidth limit as rclone\'s --bwlimit writes it: a rate ("2M", "512k"; a number alone is KiB/s; "off" is no limit), ' +
      'upload:download ("1M:4M"), or a timetable of local times and rates ("08:00,2M 18:00,off", "Mon-08:00,1M Sat-00:00,off").',
  );
